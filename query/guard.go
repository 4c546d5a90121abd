package query

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

// The read-only guard. User SQL is parsed by DuckDB's own parser
// (json_serialize_sql), so the guard sees exactly the statement DuckDB will
// run, and then allowed only if it is one SELECT whose every table is
// database.table of the caller's tenant (or a name the query itself defines
// with WITH). Everything else is refused before it runs: COPY, ATTACH, SET,
// PRAGMA, INSTALL and LOAD, DDL and DML (none of them is a SELECT), table
// functions (read_csv, read_parquet, glob, query, ...), file paths used as
// tables ('/etc/passwd', 'x.csv'), catalog-qualified names and system
// schemas.
//
// DuckDB 1.1 has no allowed-directories setting, and turning external access
// off would also stop the views that read the tables' own Parquet files, so
// the allowlist is the sandbox; extension autoloading is off and the
// configuration is locked underneath it.

// tableUse is a database.table the statement reads, and where.
type tableUse struct {
	Ref    inlet.TableRef
	Offset int
}

// plainIdent is what a WITH name must look like to be trusted: DuckDB
// would read a name with a dot or slash as a file if it matched no CTE.
var plainIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// check parses src with DuckDB's parser and returns the tables it reads, or
// an EFORBIDDEN/EINVALID error that points at the offending place.
func check(ctx context.Context, conn *sql.Conn, src string) ([]tableUse, error) {
	if strings.TrimSpace(src) == "" {
		return nil, inlet.Errorf(inlet.EINVALID, "the query is empty")
	}
	var raw string
	if err := conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", src).Scan(&raw); err != nil {
		return nil, fmt.Errorf("parse query: %w", err)
	}
	var parsed struct {
		Error        bool              `json:"error"`
		ErrorType    string            `json:"error_type"`
		ErrorMessage string            `json:"error_message"`
		Statements   []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(raw), &parsed); err != nil {
		return nil, fmt.Errorf("read parsed query: %w", err)
	}
	switch {
	case parsed.Error && parsed.ErrorType == "not implemented":
		return nil, inlet.Errorf(inlet.EFORBIDDEN, "only read-only SELECT queries are allowed: COPY, ATTACH, SET, PRAGMA, INSTALL, LOAD, CALL, EXPORT and statements that create, change or delete anything are refused")
	case parsed.Error:
		return nil, inlet.Errorf(inlet.EINVALID, "%s", strings.TrimSpace(parsed.ErrorMessage))
	case len(parsed.Statements) == 0:
		return nil, inlet.Errorf(inlet.EINVALID, "the query has no statement")
	case len(parsed.Statements) > 1:
		return nil, inlet.Errorf(inlet.EFORBIDDEN, "one statement at a time: the query has %d", len(parsed.Statements))
	}
	var tree any
	dec := json.NewDecoder(strings.NewReader(string(parsed.Statements[0])))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("read parsed query: %w", err)
	}
	w := walker{src: src, ctes: map[string]int{}}
	if err := w.walk(tree); err != nil {
		return nil, err
	}
	return w.tables, nil
}

type walker struct {
	src    string
	ctes   map[string]int // WITH names in scope, with nesting counts
	tables []tableUse
}

// cteNames returns the names a node's WITH clause defines.
func cteNames(v map[string]any) []string {
	var names []string
	if cm, ok := v["cte_map"].(map[string]any); ok {
		if entries, ok := cm["map"].([]any); ok {
			for _, e := range entries {
				if m, ok := e.(map[string]any); ok {
					if k, ok := m["key"].(string); ok {
						names = append(names, strings.ToLower(k))
					}
				}
			}
		}
	}
	return names
}

// walk visits the tree; names defined by WITH are in scope below the node
// that defines them, and only there.
func (w *walker) walk(n any) error {
	switch v := n.(type) {
	case map[string]any:
		names := cteNames(v)
		for _, name := range names {
			if !plainIdent.MatchString(name) || systemName(name) {
				return w.refuse(v, "%q cannot name a WITH query: use a plain name that is not a system name", name)
			}
			w.ctes[name]++
		}
		defer func() {
			for _, name := range names {
				w.ctes[name]--
			}
		}()
		if err := w.node(v); err != nil {
			return err
		}
		// In key order, so that the same query always gets the same refusal.
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if err := w.walk(v[k]); err != nil {
				return err
			}
		}
	case []any:
		for _, c := range v {
			if err := w.walk(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// systemName reports names DuckDB resolves in its own catalogs (duckdb_tables,
// pg_class, information_schema...): no tenant database or WITH name may
// shadow or reach them.
func systemName(name string) bool {
	switch name {
	case "information_schema", "pg_catalog", "main", "temp", "system", "memory":
		return true
	}
	for _, p := range []string{"duckdb_", "pragma_", "sqlite_", "pg_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func (w *walker) node(v map[string]any) error {
	str := func(k string) string { s, _ := v[k].(string); return s }
	switch {
	case v["type"] == "TABLE_FUNCTION":
		name := "a table function"
		if f, ok := v["function"].(map[string]any); ok {
			if s, _ := f["function_name"].(string); s != "" {
				name = s + "()"
			}
		}
		return w.refuse(v, "%s reads outside Inlet's tables: query tables as database.table", name)
	case v["type"] == "BASE_TABLE":
		catalog, schema, name := str("catalog_name"), str("schema_name"), str("table_name")
		switch {
		case catalog != "":
			return w.refuse(v, "%s.%s.%s: address tables as database.table", catalog, schema, name)
		case schema == "" && w.ctes[strings.ToLower(name)] > 0:
			return nil
		case schema == "":
			return &unqualified{name: strings.ToLower(name), err: w.refuse(v, "%q is not a table: address tables as database.table", name)}
		}
		ref := inlet.TableRef{Database: strings.ToLower(schema), Name: strings.ToLower(name)}
		if inlet.ValidateName("database", ref.Database) != nil || inlet.ValidateName("table", ref.Name) != nil || systemName(ref.Database) {
			return w.refuse(v, "%s.%s is not an Inlet table", schema, name)
		}
		w.tables = append(w.tables, tableUse{Ref: ref, Offset: w.offset(v)})
	case v["class"] == "FUNCTION":
		if str("catalog") != "" || str("schema") != "" {
			return w.refuse(v, "qualified function names are not allowed: call %s() without a schema", str("function_name"))
		}
		if denied[strings.ToLower(str("function_name"))] {
			return w.refuse(v, "%s() is not allowed in queries", str("function_name"))
		}
	}
	return nil
}

// unqualified is the refusal of a bare table name; the engine may add
// which of the tenant's tables the user meant.
type unqualified struct {
	name string
	err  error
}

func (u *unqualified) Error() string { return u.err.Error() }
func (u *unqualified) Unwrap() error { return u.err }

// denied are scalar functions that read the engine's state rather than the
// tenant's data.
var denied = map[string]bool{
	"current_setting": true, "getvariable": true, "current_database": true,
	"current_catalog": true, "current_schemas": true,
}

func (w *walker) offset(v map[string]any) int {
	n, ok := v["query_location"].(json.Number)
	if !ok {
		return -1
	}
	off, err := n.Int64()
	if err != nil || off < 0 || off > int64(len(w.src)) {
		return -1 // DuckDB's "no location" is 2^64-1
	}
	return int(off)
}

// refuse builds an EFORBIDDEN error pointing at the node's line and column.
func (w *walker) refuse(v map[string]any, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if off := w.offset(v); off >= 0 {
		line, col := position(w.src, off)
		msg = fmt.Sprintf("line %d, column %d: %s", line, col, msg)
	}
	return inlet.Errorf(inlet.EFORBIDDEN, "%s", msg)
}

// position turns a byte offset into a 1-based line and column.
func position(src string, off int) (line, col int) {
	before := src[:off]
	line = strings.Count(before, "\n") + 1
	col = off - strings.LastIndex(before, "\n")
	return line, col
}

package query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

// The read-only guard, default deny. DuckDB's own parser turns user SQL
// into a tree (json_serialize_sql): the tree DuckDB would run. The guard
// walks it with a grammar of the node kinds it knows to be safe, field by
// field, and refuses anything else with its position: a statement that is
// not a SELECT, a table that is not database.table of the tenant or a WITH
// name in scope, a table function, SUMMARIZE/DESCRIBE/SHOW, a function
// that is not on the allowlist (functions.go), a type that names a catalog
// entry, and any node kind or field the grammar does not know, such as one
// a future DuckDB adds. The engine underneath is the second layer: it runs
// each tenant's statements where no other tenant's tables exist, with file
// access limited to the tenant's own lake files.

// Plan is what the guard learned of a statement it allowed.
type Plan struct {
	// Tables are the database.table references the statement reads, in
	// order, with their byte offsets in the SQL (-1 when unknown).
	Tables []TableUse
	// Params is how many values the statement binds (? or $n).
	Params int
}

// TableUse is one table a statement reads, and where it names it.
type TableUse struct {
	Ref    inlet.TableRef
	Offset int
}

// UnqualifiedError is the refusal of a bare table name; an engine may add
// which of the tenant's tables the user meant.
type UnqualifiedError struct {
	Name string
	err  error
}

func (u *UnqualifiedError) Error() string { return u.err.Error() }
func (u *UnqualifiedError) Unwrap() error { return u.err }

// MaxSQLBytes bounds the text of one statement.
const MaxSQLBytes = 1 << 20

// Guard checks src against its parse tree, as DuckDB's json_serialize_sql
// printed it, and returns what the statement reads, or an EFORBIDDEN or
// EINVALID error that points at the offending place.
func Guard(src string, serialized []byte) (*Plan, error) {
	if strings.TrimSpace(src) == "" {
		return nil, inlet.Errorf(inlet.EINVALID, "the query is empty")
	}
	var parsed struct {
		Error        bool              `json:"error"`
		ErrorType    string            `json:"error_type"`
		ErrorMessage string            `json:"error_message"`
		Position     string            `json:"position"`
		Statements   []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal(serialized, &parsed); err != nil {
		return nil, fmt.Errorf("read parsed query: %w", err)
	}
	g := &guard{src: src, ctes: map[string]int{}, loc: -1}
	switch {
	case parsed.Error && parsed.ErrorType == "not implemented":
		return nil, inlet.Errorf(inlet.EFORBIDDEN, "only read-only SELECT queries are allowed: COPY, ATTACH, SET, PRAGMA, INSTALL, LOAD, CALL, EXPORT, PIVOT statements and statements that create, change or delete anything are refused")
	case parsed.Error:
		msg := strings.TrimSpace(parsed.ErrorMessage)
		if off, err := strconv.Atoi(parsed.Position); err == nil && off >= 0 && off <= len(src) {
			line, col := position(src, off)
			msg = fmt.Sprintf("line %d, column %d: %s", line, col, msg)
		}
		return nil, inlet.Errorf(inlet.EINVALID, "%s", msg)
	case len(parsed.Statements) == 0:
		return nil, inlet.Errorf(inlet.EINVALID, "the query has no statement")
	case len(parsed.Statements) > 1:
		return nil, inlet.Errorf(inlet.EFORBIDDEN, "one statement at a time: the query has %d", len(parsed.Statements))
	}
	dec := json.NewDecoder(bytes.NewReader(parsed.Statements[0]))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("read parsed query: %w", err)
	}
	if err := g.statement(tree); err != nil {
		return nil, err
	}
	return &g.plan, nil
}

// guard walks one statement's tree.
type guard struct {
	src  string
	ctes map[string]int // WITH names in scope, with nesting counts
	loc  int            // the offset of the innermost node that had one
	plan Plan
}

// check validates one value of the tree.
type check func(g *guard, v any) error

// shape is the grammar of one kind of node: every field it may have, and
// how to check the field's value. A field not listed is refused.
type shape map[string]check

// object checks a node against its shape, after the node's own rule.
func (g *guard) object(v any, what string, s shape) error {
	m, ok := v.(map[string]any)
	if !ok {
		return g.refuse("unsupported syntax (%s is not an object)", what)
	}
	saved := g.loc
	defer func() { g.loc = saved }()
	if off := g.offset(m); off >= 0 {
		g.loc = off
	}
	for _, k := range sortedKeys(m) {
		c, ok := s[k]
		if !ok {
			return g.refuse("unsupported syntax (%s has a field %q Inlet does not know)", what, k)
		}
		if err := c(g, m[k]); err != nil {
			return err
		}
	}
	return nil
}

// dispatch checks a node whose kind is named by its discriminator field.
func (g *guard) dispatch(v any, family, key string, shapes map[string]shape, extra map[string]check) error {
	m, ok := v.(map[string]any)
	if !ok {
		return g.refuse("unsupported syntax (a %s is not an object)", family)
	}
	kind, _ := m[key].(string)
	s, ok := shapes[kind]
	if !ok {
		saved := g.loc
		if off := g.offset(m); off >= 0 {
			g.loc = off
		}
		err := g.refuse("%s", refusedKind(family, kind))
		g.loc = saved
		return err
	}
	if rule, ok := extra[kind]; ok {
		saved := g.loc
		if off := g.offset(m); off >= 0 {
			g.loc = off
		}
		err := rule(g, m)
		g.loc = saved
		if err != nil {
			return err
		}
	}
	return g.object(m, family+" "+kind, s)
}

// refusedKind says why a node kind is refused, the way a user would.
func refusedKind(family, kind string) string {
	switch kind {
	case "SHOW_REF":
		return "SUMMARIZE, DESCRIBE and SHOW are not allowed in queries: a table's page shows its columns and their profile"
	case "":
		return fmt.Sprintf("unsupported syntax (a %s Inlet does not know)", family)
	}
	return fmt.Sprintf("%s (%s) is not allowed in queries", strings.ToLower(strings.ReplaceAll(kind, "_", " ")), family)
}

// Primitive checks.

// scalar accepts a string, number, boolean or null: a value, not a node.
func scalar(g *guard, v any) error {
	switch v.(type) {
	case nil, string, bool, json.Number:
		return nil
	}
	return g.refuse("unsupported syntax (a node where a value was expected)")
}

// empty accepts only an absent value: null, "" or an empty list.
func empty(what string) check {
	return func(g *guard, v any) error {
		switch x := v.(type) {
		case nil:
			return nil
		case string:
			if x == "" {
				return nil
			}
		case []any:
			if len(x) == 0 {
				return nil
			}
		}
		return g.refuse("%s is not allowed in queries", what)
	}
}

// oneOf accepts one of a fixed set of strings.
func oneOf(values ...string) check {
	return func(g *guard, v any) error {
		s, _ := v.(string)
		for _, ok := range values {
			if s == ok {
				return nil
			}
		}
		return g.refuse("unsupported syntax (%q)", s)
	}
}

func strs(g *guard, v any) error {
	return list(func(g *guard, v any) error {
		if _, ok := v.(string); !ok {
			return g.refuse("unsupported syntax (a node where a name was expected)")
		}
		return nil
	})(g, v)
}

// list accepts a list whose every item passes c.
func list(c check) check {
	return func(g *guard, v any) error {
		items, ok := v.([]any)
		if !ok {
			if v == nil {
				return nil
			}
			return g.refuse("unsupported syntax (a list was expected)")
		}
		for _, it := range items {
			if err := c(g, it); err != nil {
				return err
			}
		}
		return nil
	}
}

// optional accepts null or a value that passes c.
func optional(c check) check {
	return func(g *guard, v any) error {
		if v == nil {
			return nil
		}
		return c(g, v)
	}
}

// pairs accepts a list of {key, value} (or {first, second}) objects.
func pairs(k, v string, ck, cv check) check {
	return list(func(g *guard, item any) error {
		return g.object(item, "entry", shape{k: ck, v: cv})
	})
}

// The grammar. It is filled in init, because its rules refer to each other.
var (
	queryNodes map[string]shape
	tableRefs  map[string]shape
	exprs      map[string]shape // by class
	modifiers  map[string]shape
	typeInfos  map[string]shape
)

func init() {
	common := shape{"type": scalar, "alias": scalar, "query_location": scalar}
	with := extend
	orderItem := func(g *guard, v any) error {
		return g.object(v, "ORDER BY item", shape{"type": oneOf("ORDER_DEFAULT", "ASCENDING", "DESCENDING"),
			"null_order": oneOf("ORDER_DEFAULT", "NULLS_FIRST", "NULLS_LAST", "NULLS FIRST", "NULLS LAST"), "expression": (*guard).expr})
	}
	orderModifier := func(g *guard, v any) error {
		return g.object(v, "ORDER BY", shape{"type": oneOf("ORDER_MODIFIER"), "orders": list(orderItem)})
	}
	sample := func(g *guard, v any) error {
		return g.object(v, "SAMPLE", shape{"sample_size": (*guard).value, "is_percentage": scalar,
			"method": scalar, "seed": scalar})
	}
	exprList := list((*guard).expr)
	ctes := (*guard).cteMap
	statement := (*guard).statement
	table := (*guard).tableRef

	queryNodes = map[string]shape{
		"SELECT_NODE": {"type": scalar, "modifiers": list((*guard).modifier), "cte_map": ctes,
			"select_list": exprList, "from_table": table, "where_clause": optional((*guard).expr),
			"group_expressions": exprList, "group_sets": list(list(scalar)),
			"aggregate_handling": oneOf("STANDARD_HANDLING", "FORCE_AGGREGATES", "NO_AGGREGATES_ALLOWED"),
			"having":             optional((*guard).expr), "sample": optional(sample), "qualify": optional((*guard).expr)},
		"SET_OPERATION_NODE": {"type": scalar, "modifiers": list((*guard).modifier), "cte_map": ctes,
			"setop_type": oneOf("UNION", "EXCEPT", "INTERSECT", "UNION_BY_NAME"), "setop_all": scalar,
			"left": (*guard).queryNode, "right": (*guard).queryNode, "children": list((*guard).queryNode)},
		"RECURSIVE_CTE_NODE": {"type": scalar, "modifiers": list((*guard).modifier), "cte_map": ctes,
			"cte_name": scalar, "union_all": scalar, "left": (*guard).queryNode, "right": (*guard).queryNode,
			"aliases": strs, "key_targets": exprList},
	}
	tableRefs = map[string]shape{
		"BASE_TABLE": with(common, shape{"sample": optional(sample), "schema_name": scalar, "table_name": scalar,
			"catalog_name": scalar, "column_name_alias": strs,
			"at_clause": empty("AT (...) time travel in SQL (pass as_of or a snapshot id instead)")}),
		"JOIN": with(common, shape{"sample": optional(sample), "left": table, "right": table,
			"condition":     optional((*guard).expr),
			"join_type":     oneOf("INNER", "LEFT", "RIGHT", "OUTER", "FULL", "SEMI", "ANTI"),
			"ref_type":      oneOf("REGULAR", "NATURAL", "CROSS", "POSITIONAL", "ASOF", "DEPENDENT"),
			"using_columns": strs, "delim_flipped": scalar,
			"duplicate_eliminated_columns": empty("a duplicate-eliminated join")}),
		"SUBQUERY": with(common, shape{"sample": optional(sample), "subquery": statement, "column_name_alias": strs}),
		"EXPRESSION_LIST": with(common, shape{"sample": optional(sample), "expected_names": strs,
			"expected_types": list((*guard).logicalType), "values": list(exprList)}),
		"EMPTY": with(common, shape{"sample": optional(sample)}),
		"TABLE_FUNCTION": with(common, shape{"sample": optional(sample), "function": (*guard).tableFunctionCall,
			"column_name_alias": strs, "with_ordinality": oneOf("WITHOUT_ORDINALITY", "WITH_ORDINALITY")}),
		"PIVOT": with(common, shape{"sample": optional(sample), "source": table, "aggregates": exprList,
			"unpivot_names": strs, "groups": strs, "column_name_alias": strs, "include_nulls": scalar,
			"pivots": list(func(g *guard, v any) error {
				return g.object(v, "PIVOT column", shape{"pivot_expressions": exprList, "unpivot_names": strs,
					"pivot_enum": empty("a PIVOT over a named enum"),
					"entries": list(func(g *guard, v any) error {
						return g.object(v, "PIVOT value", shape{"values": list((*guard).value),
							"star_expr": optional((*guard).expr), "alias": scalar})
					})})
			})}),
	}
	children := shape{"children": exprList}
	window := with(common, shape{"class": scalar, "function_name": scalar, "schema": scalar, "catalog": scalar,
		"children": exprList, "partitions": exprList, "orders": list(orderItem), "arg_orders": list(orderItem),
		"start": scalar, "end": scalar, "start_expr": optional((*guard).expr), "end_expr": optional((*guard).expr),
		"offset_expr": optional((*guard).expr), "default_expr": optional((*guard).expr), "ignore_nulls": scalar,
		"filter_expr": optional((*guard).expr), "exclude_clause": scalar, "distinct": scalar})
	exprs = map[string]shape{
		"COLUMN_REF": with(common, shape{"class": scalar, "column_names": strs}),
		"CONSTANT":   with(common, shape{"class": scalar, "value": (*guard).value}),
		"PARAMETER":  with(common, shape{"class": scalar, "identifier": scalar}),
		"FUNCTION": with(common, shape{"class": scalar, "function_name": scalar, "schema": scalar, "catalog": scalar,
			"children": exprList, "filter": optional((*guard).expr), "order_bys": orderModifier,
			"distinct": scalar, "is_operator": scalar, "export_state": isFalse("aggregate state export")}),
		"WINDOW":      window,
		"OPERATOR":    with(common, with(children, shape{"class": scalar})),
		"COMPARISON":  with(common, shape{"class": scalar, "left": (*guard).expr, "right": (*guard).expr}),
		"CONJUNCTION": with(common, with(children, shape{"class": scalar})),
		"BETWEEN": with(common, shape{"class": scalar, "input": (*guard).expr, "lower": (*guard).expr,
			"upper": (*guard).expr}),
		"CASE": with(common, shape{"class": scalar, "else_expr": optional((*guard).expr),
			"case_checks": list(func(g *guard, v any) error {
				return g.object(v, "WHEN", shape{"when_expr": (*guard).expr, "then_expr": (*guard).expr})
			})}),
		"CAST": with(common, shape{"class": scalar, "child": (*guard).expr, "cast_type": (*guard).logicalType,
			"try_cast": scalar}),
		"COLLATE": with(common, shape{"class": scalar, "child": (*guard).expr, "collation": scalar}),
		"SUBQUERY": with(common, shape{"class": scalar, "subquery": statement, "child": optional((*guard).expr),
			"subquery_type": oneOf("SCALAR", "EXISTS", "NOT_EXISTS", "ANY"), "comparison_type": scalar}),
		"STAR": with(common, shape{"class": scalar, "relation_name": scalar, "exclude_list": strs,
			"replace_list": pairs("key", "value", scalar, (*guard).expr),
			"rename_list": pairs("key", "value", func(g *guard, v any) error {
				return g.object(v, "column name", shape{"catalog": scalar, "schema": scalar, "table": scalar, "column": scalar})
			}, scalar),
			"qualified_exclude_list": list(func(g *guard, v any) error {
				return g.object(v, "column name", shape{"catalog": scalar, "schema": scalar, "table": scalar, "column": scalar})
			}),
			"columns": scalar, "expr": optional((*guard).expr), "unpacked": scalar}),
		"LAMBDA":               with(common, shape{"class": scalar, "lhs": (*guard).expr, "expr": (*guard).expr}),
		"POSITIONAL_REFERENCE": with(common, shape{"class": scalar, "index": scalar}),
	}
	modifiers = map[string]shape{
		"ORDER_MODIFIER":         {"type": scalar, "orders": list(orderItem)},
		"LIMIT_MODIFIER":         {"type": scalar, "limit": optional((*guard).expr), "offset": optional((*guard).expr)},
		"LIMIT_PERCENT_MODIFIER": {"type": scalar, "limit": optional((*guard).expr), "offset": optional((*guard).expr)},
		"DISTINCT_MODIFIER":      {"type": scalar, "distinct_on_targets": exprList},
	}
	typeCommon := shape{"type": scalar, "alias": scalar, "extension_info": empty("a type from an extension")}
	typeInfos = map[string]shape{
		"DECIMAL_TYPE_INFO": with(typeCommon, shape{"width": scalar, "scale": scalar}),
		"LIST_TYPE_INFO":    with(typeCommon, shape{"child_type": (*guard).logicalType}),
		"ARRAY_TYPE_INFO":   with(typeCommon, shape{"child_type": (*guard).logicalType, "size": scalar}),
		"STRUCT_TYPE_INFO":  with(typeCommon, shape{"child_types": pairs("first", "second", scalar, (*guard).logicalType)}),
		"GENERIC_TYPE_INFO": typeCommon,
		"STRING_TYPE_INFO":  with(typeCommon, shape{"collation": scalar}),
		// UNBOUND names a type to look up in the catalog: only the built-in
		// JSON alias, never a catalog-qualified or user type (typeRule).
		"UNBOUND_TYPE_INFO": with(typeCommon, shape{"name": scalar, "catalog": empty("a catalog-qualified type"),
			"schema": empty("a schema-qualified type"), "user_type_modifiers": empty("type modifiers")}),
	}
}

// extend returns base with more fields.
func extend(base, more shape) shape {
	out := maps.Clone(base)
	maps.Copy(out, more)
	return out
}

// isFalse accepts only false: a flag whose feature is not allowed.
func isFalse(what string) check {
	return func(g *guard, v any) error {
		if b, ok := v.(bool); ok && !b {
			return nil
		}
		return g.refuse("%s is not allowed in queries", what)
	}
}

// statement is a SELECT statement: a query node and its parameters.
func (g *guard) statement(v any) error {
	return g.object(v, "statement", shape{"node": (*guard).queryNode, "named_param_map": (*guard).params})
}

func (g *guard) queryNode(v any) error {
	m, _ := v.(map[string]any)
	names := cteNames(m)
	if rec, _ := m["cte_name"].(string); rec != "" {
		names = append(names, strings.ToLower(rec))
	}
	for _, name := range names {
		if !plainIdent.MatchString(name) || systemName(name) {
			return g.refuse("%q cannot name a WITH query: use a plain name that is not a system name", name)
		}
		g.ctes[name]++
	}
	defer func() {
		for _, name := range names {
			g.ctes[name]--
		}
	}()
	return g.dispatch(v, "query", "type", queryNodes, nil)
}

func (g *guard) cteMap(v any) error {
	return g.object(v, "WITH", shape{"map": pairs("key", "value", scalar, func(g *guard, v any) error {
		return g.object(v, "WITH query", shape{"query": (*guard).statement, "aliases": strs,
			"materialized": oneOf("CTE_MATERIALIZE_DEFAULT", "CTE_MATERIALIZE_ALWAYS", "CTE_MATERIALIZE_NEVER"),
			"key_targets":  list((*guard).expr)})
	})})
}

func (g *guard) modifier(v any) error {
	return g.dispatch(v, "modifier", "type", modifiers, nil)
}

// params counts the statement's parameters: ? and $1 are numbered; names
// ($name) are refused, since values are bound by position.
func (g *guard) params(v any) error {
	return pairs("key", "value", func(g *guard, v any) error {
		s, _ := v.(string)
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return g.refuse("named parameters ($%s) are not supported: use ? or $1, $2, ...", s)
		}
		g.plan.Params = max(g.plan.Params, n)
		return nil
	}, scalar)(g, v)
}

func (g *guard) tableRef(v any) error {
	return g.dispatch(v, "table", "type", tableRefs, map[string]check{
		"BASE_TABLE":     (*guard).baseTable,
		"TABLE_FUNCTION": (*guard).tableFunction,
	})
}

// baseTable allows database.table of the tenant, and WITH names in scope.
func (g *guard) baseTable(v any) error {
	m := v.(map[string]any)
	catalog, _ := m["catalog_name"].(string)
	schema, _ := m["schema_name"].(string)
	name, _ := m["table_name"].(string)
	switch {
	case catalog != "":
		return g.refuse("%s.%s.%s: address tables as database.table", catalog, schema, name)
	case schema == "" && g.ctes[strings.ToLower(name)] > 0:
		return nil
	case schema == "":
		return &UnqualifiedError{Name: strings.ToLower(name), err: g.refuse("%q is not a table: address tables as database.table", name)}
	}
	ref := inlet.TableRef{Database: strings.ToLower(schema), Name: strings.ToLower(name)}
	if inlet.ValidateName("database", ref.Database) != nil || inlet.ValidateName("table", ref.Name) != nil || systemName(ref.Database) {
		return g.refuse("%s.%s is not an Inlet table", schema, name)
	}
	g.plan.Tables = append(g.plan.Tables, TableUse{Ref: ref, Offset: g.loc})
	return nil
}

// tableFunction allows the few table functions that only compute rows
// from their arguments (range, unnest, ...); every other one reads files,
// the catalog or settings.
func (g *guard) tableFunction(v any) error {
	m := v.(map[string]any)
	f, _ := m["function"].(map[string]any)
	name, _ := f["function_name"].(string)
	schema, _ := f["schema"].(string)
	catalog, _ := f["catalog"].(string)
	if !allowedTableFunctions[strings.ToLower(name)] || catalog != "" || (schema != "" && schema != "main") {
		if name == "" {
			name = "a table function"
		} else {
			name += "()"
		}
		return g.refuse("%s reads outside Inlet's tables: query tables as database.table", name)
	}
	return nil
}

// tableFunctionCall walks the call of an allowed table function: its
// arguments are expressions like any other.
func (g *guard) tableFunctionCall(v any) error {
	return g.object(v, "table function", exprs["FUNCTION"])
}

func (g *guard) expr(v any) error {
	return g.dispatch(v, "expression", "class", exprs, map[string]check{
		"FUNCTION":   (*guard).function,
		"WINDOW":     (*guard).function,
		"OPERATOR":   exprType(operatorTypes),
		"COMPARISON": exprType(comparisonTypes),
		"CONJUNCTION": exprType(map[string]bool{
			"CONJUNCTION_AND": true, "CONJUNCTION_OR": true}),
		"COLUMN_REF": (*guard).columnRef,
	})
}

var operatorTypes = map[string]bool{
	"OPERATOR_NOT": true, "OPERATOR_IS_NULL": true, "OPERATOR_IS_NOT_NULL": true, "OPERATOR_COALESCE": true,
	"OPERATOR_TRY": true, "OPERATOR_UNPACK": true, "OPERATOR_NULLIF": true, "COMPARE_IN": true, "COMPARE_NOT_IN": true,
	"ARRAY_EXTRACT": true, "ARRAY_SLICE": true, "STRUCT_EXTRACT": true, "ARRAY_CONSTRUCTOR": true,
	"GROUPING_FUNCTION": true,
}

var comparisonTypes = map[string]bool{
	"COMPARE_EQUAL": true, "COMPARE_NOTEQUAL": true, "COMPARE_LESSTHAN": true, "COMPARE_GREATERTHAN": true,
	"COMPARE_LESSTHANOREQUALTO": true, "COMPARE_GREATERTHANOREQUALTO": true, "COMPARE_DISTINCT_FROM": true,
	"COMPARE_NOT_DISTINCT_FROM": true,
}

func exprType(allowed map[string]bool) check {
	return func(g *guard, v any) error {
		t, _ := v.(map[string]any)["type"].(string)
		if !allowed[t] {
			return g.refuse("unsupported syntax (%s)", strings.ToLower(t))
		}
		return nil
	}
}

// function allows a call of a function on the allowlist, unqualified (the
// parser itself writes main. before some).
func (g *guard) function(v any) error {
	m := v.(map[string]any)
	name, _ := m["function_name"].(string)
	schema, _ := m["schema"].(string)
	catalog, _ := m["catalog"].(string)
	lower := strings.ToLower(name)
	if catalog != "" || (schema != "" && schema != "main") {
		return g.refuse("%s.%s(): qualified function names are not allowed: call %s() without a schema", schema, name, name)
	}
	if !allowedFunctions[lower] {
		return g.refuse("%s", refusedFunction(lower))
	}
	return nil
}

// columnRef refuses a bare name DuckDB would bind as a call of a function
// that is not allowed (it binds current_user, user, ... as functions when
// no column has the name).
func (g *guard) columnRef(v any) error {
	names, _ := v.(map[string]any)["column_names"].([]any)
	if len(names) != 1 {
		return nil
	}
	name, _ := names[0].(string)
	if lower := strings.ToLower(name); bareFunctions[lower] {
		return g.refuse("%q reads the engine's state: to read a column of that name, qualify it (t.%s)", name, name)
	}
	return nil
}

// value is a constant: data, typed with a built-in type.
func (g *guard) value(v any) error {
	return g.object(v, "constant", shape{"type": (*guard).logicalType, "is_null": scalar, "value": (*guard).constant})
}

// constant is a constant's payload: plain data, or nested constants.
func (g *guard) constant(v any) error {
	if m, ok := v.(map[string]any); ok {
		if kids, ok := m["children"]; ok && len(m) == 1 {
			return list((*guard).value)(g, kids)
		}
	}
	return nil // numbers, strings, intervals, hugeints: data
}

// builtinTypes are the type ids a cast or constant may use.
var builtinTypes = map[string]bool{
	"BOOLEAN": true, "TINYINT": true, "SMALLINT": true, "INTEGER": true, "BIGINT": true, "HUGEINT": true,
	"UTINYINT": true, "USMALLINT": true, "UINTEGER": true, "UBIGINT": true, "UHUGEINT": true,
	"FLOAT": true, "DOUBLE": true, "DECIMAL": true, "VARCHAR": true, "CHAR": true, "BLOB": true, "BIT": true,
	"DATE": true, "TIME": true, "TIMESTAMP": true, "TIMESTAMP_S": true, "TIMESTAMP_MS": true, "TIMESTAMP_NS": true,
	"TIMESTAMP WITH TIME ZONE": true, "TIME WITH TIME ZONE": true, "INTERVAL": true, "UUID": true,
	"LIST": true, "STRUCT": true, "MAP": true, "ARRAY": true, "UNION": true, "NULL": true, "VARINT": true,
	"BIGNUM": true, "VARIANT": true, "SQLNULL": true, "UNBOUND": true,
}

func (g *guard) logicalType(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return g.refuse("unsupported syntax (a type)")
	}
	id, _ := m["id"].(string)
	if !builtinTypes[id] {
		return g.refuse("the type %s is not allowed in queries", strings.ToLower(id))
	}
	return g.object(m, "type", shape{"id": scalar, "type_info": optional(func(g *guard, v any) error {
		return g.dispatch(v, "type", "type", typeInfos, map[string]check{"UNBOUND_TYPE_INFO": func(g *guard, v any) error {
			name, _ := v.(map[string]any)["name"].(string)
			if !strings.EqualFold(name, "json") {
				return g.refuse("the type %q is not a built-in type", name)
			}
			return nil
		}})
	})})
}

// cteNames returns the names a query node's WITH clause defines.
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

// plainIdent is what a WITH name must look like to be trusted: DuckDB
// would read a name with a dot or slash as a file if it matched no CTE.
var plainIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

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

func (g *guard) offset(m map[string]any) int {
	n, ok := m["query_location"].(json.Number)
	if !ok {
		return -1
	}
	off, err := n.Int64()
	if err != nil || off < 0 || off > int64(len(g.src)) {
		return -1 // DuckDB's "no location" is 2^64-1
	}
	return int(off)
}

// refuse builds an EFORBIDDEN error pointing at the current node.
func (g *guard) refuse(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if g.loc >= 0 {
		line, col := position(g.src, g.loc)
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

// Position is position for engines: the 1-based line and column of a byte
// offset in src.
func Position(src string, off int) (line, col int) { return position(src, off) }

var locatedMessage = regexp.MustCompile(`^line (\d+), column (\d+): `)

// Located reads the position at the start of a message that position
// placed there ("line L, column C: rest").
func Located(msg string) (line, col int, rest string, ok bool) {
	m := locatedMessage.FindStringSubmatch(msg)
	if m == nil {
		return 0, 0, msg, false
	}
	line, _ = strconv.Atoi(m[1])
	col, _ = strconv.Atoi(m[2])
	return line, col, msg[len(m[0]):], true
}

// Offset is the inverse of position: the byte offset of a 1-based line and
// column in src, or -1 when src has no such place.
func Offset(src string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	if col < 1 || off+col-1 > len(src) {
		return -1
	}
	return off + col - 1
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// In a fixed order, so that the same query always gets the same refusal.
	slices.Sort(keys)
	return keys
}

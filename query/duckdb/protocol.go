package duckdb

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// The protocol between the engine and a tenant's engine process, over one
// Unix-socket connection per statement:
//
//	engine → process: one request, a JSON line
//	process → engine: one reply, a JSON line (an error, the parse tree, or
//	                  the result's columns)
//	                  for a query: the rows as an Arrow IPC stream, then a
//	                  trailer JSON line (the error that ended the stream, if any)
//
// The engine closes the connection to cancel a statement.

const (
	opParse = "parse" // return DuckDB's parse tree of SQL
	opQuery = "query" // run SQL over views of the given snapshots
	// opUnload writes a query's result to a Parquet or CSV file in the
	// export area.
	opUnload = "unload"
)

// request is what the engine asks of a process.
type request struct {
	Op   string     `json:"op"`
	SQL  string     `json:"sql"`
	Args []arg      `json:"args,omitempty"`
	View []viewSpec `json:"views,omitempty"`
	// Pinned builds the views in a catalog of the statement's own, for time
	// travel: the tenant's current views stay as they are.
	Pinned bool `json:"pinned,omitempty"`
	// Out is where an unload writes (an absolute path in the export area).
	Out    string              `json:"out,omitempty"`
	Unload inlet.UnloadOptions `json:"unload,omitempty"`
}

// viewSpec is a table as of one snapshot: a view over its data files.
type viewSpec struct {
	Database string         `json:"database"`
	Name     string         `json:"name"`
	Snapshot int64          `json:"snapshot"`
	Columns  []inlet.Column `json:"columns"`
	Files    []string       `json:"files"`   // absolute paths in the tenant's lake directory (locations until localFiles)
	Evolved  bool           `json:"evolved"` // files differ in columns: match them by name
}

// reply is the process's first answer.
type reply struct {
	Error   *wireError           `json:"error,omitempty"`
	Tree    json.RawMessage      `json:"tree,omitempty"`
	Columns []inlet.ResultColumn `json:"columns,omitempty"`
	Rows    int64                `json:"rows,omitempty"` // an unload's
}

// trailer ends a query's rows.
type trailer struct {
	Error *wireError `json:"error,omitempty"`
}

// wireError is an error as it crosses the process boundary: an inlet
// error code and its user-facing message. Kind is DuckDB's error type, for
// the logs of errors that are not the user's.
type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Kind    string `json:"kind,omitempty"`
}

func (e *wireError) err() error {
	if e.Code == inlet.EINTERNAL {
		return fmt.Errorf("query engine: %s error", e.Kind)
	}
	return inlet.Errorf(e.Code, "%s", e.Message)
}

// arg is a bound value with its Go type, which JSON alone would lose
// (int64 against float64, dates).
type arg struct {
	T string `json:"t"` // s, i, f, b, d (time), n (null)
	V string `json:"v,omitempty"`
}

func encodeArgs(args []any) ([]arg, error) {
	out := make([]arg, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case nil:
			out[i] = arg{T: "n"}
		case string:
			out[i] = arg{T: "s", V: v}
		case int64:
			out[i] = arg{T: "i", V: strconv.FormatInt(v, 10)}
		case int:
			out[i] = arg{T: "i", V: strconv.Itoa(v)}
		case float64:
			out[i] = arg{T: "f", V: strconv.FormatFloat(v, 'g', -1, 64)}
		case bool:
			out[i] = arg{T: "b", V: strconv.FormatBool(v)}
		case time.Time:
			out[i] = arg{T: "d", V: v.UTC().Format(time.RFC3339Nano)}
		default:
			return nil, inlet.Errorf(inlet.EINVALID, "parameter %d: a %T cannot be bound: use a string, number, boolean, date or null", i+1, a)
		}
	}
	return out, nil
}

func decodeArgs(in []arg) ([]any, error) {
	out := make([]any, len(in))
	for i, a := range in {
		var err error
		switch a.T {
		case "n":
			out[i] = nil
		case "s":
			out[i] = a.V
		case "i":
			out[i], err = strconv.ParseInt(a.V, 10, 64)
		case "f":
			out[i], err = strconv.ParseFloat(a.V, 64)
		case "b":
			out[i], err = strconv.ParseBool(a.V)
		case "d":
			out[i], err = time.Parse(time.RFC3339Nano, a.V)
		default:
			err = fmt.Errorf("unknown type %q", a.T)
		}
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
	}
	return out, nil
}

// maxLine bounds one JSON line of the protocol (a request carries the SQL
// and the views' file lists; a reply the parse tree).
const maxLine = 64 << 20

func writeLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

func readLine(r *bufio.Reader, v any) error {
	var line []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if err != nil {
			return err
		}
		line = append(line, chunk...)
		if len(line) > maxLine {
			return fmt.Errorf("protocol line longer than %d bytes", maxLine)
		}
		if !isPrefix {
			break
		}
	}
	return json.Unmarshal(line, v)
}

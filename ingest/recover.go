package ingest

import (
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"

	inlet "github.com/inlet-data/inlet"
)

// recovered turns a panic while reading fileName (a bug in Inlet, met on a
// file nobody vetted) into an error for this file alone: the server and
// the other uploads carry on. Only runtime errors are quoted, since any
// other panic value might hold a cell's value; the stack is logged.
func recovered(fileName string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	what := fmt.Sprintf("%T", r)
	if re, ok := r.(runtime.Error); ok {
		what = re.Error()
	}
	slog.Error("panic while reading a file", "file", fileName, "panic", what, "stack", string(debug.Stack()))
	*err = inlet.Errorf(inlet.EINTERNAL, "%s: Inlet failed on this file (an internal error: %s); the server log has the details", fileName, what)
}

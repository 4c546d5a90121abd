// Command inlet is Inlet's one binary: the portal server and the command
// line. It is the only package that wires concrete types together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	inlet "github.com/inlet-data/inlet"
)

const usage = `Inlet: files in, PII-safe lake tables out.

Usage:
  inlet serve                    run the portal (127.0.0.1:8080, data in ./inlet-data)
  inlet inspect FILE [--sheet NAME] [--json]
                                 show format, dialect, types and PII findings; changes nothing
  inlet ingest FILE --table DB.TABLE [--mode create|append|overwrite|upsert --key COL[,COL]]
               [--pii COL=hash|mask|drop|keep ...] [--reason COL=TEXT ...]
               [--type COL=TYPE ...] [--rename COL=NAME ...] [--sheet NAME]
                                 ingest a file as an Iceberg table snapshot
  inlet tables [--json]          list tables
  inlet table DB.TABLE [--json] [--snapshot ID | --as-of TIME]
                                 schema, PII tags, column profiles, snapshots and lineage
  inlet glue DB.TABLE            the Glue TableInput for aws glue create-table --table-input
  inlet drop DB.TABLE --confirm DB.TABLE   delete a table and its files
  inlet rollback DB.TABLE SNAPSHOT_ID      make an earlier snapshot current again
  inlet diff DB.TABLE FROM [TO]            compare two snapshots: rows, files, columns
  inlet expect DB.TABLE --not-null C --unique C --range C=MIN..MAX --allowed C=A|B --row-count PCT
                                 set the rules every write to the table must meet (--clear removes them)
  inlet query 'SQL' [--format table|json|csv] [--as-of TIME] [--limit N]
                                 run a read-only query over the tenant's tables (database.table)
  inlet export DB.TABLE --format csv|xlsx|parquet|jsonl --out FILE [--columns a,b]
               [--where 'col = {{v}}' --param v=...] [--as-of TIME] [--part-rows N]
               [--bom] [--delimiter ';']
  inlet export --template NAME --param p=... --out FILE
                                 write a table (or the rows a bound filter picks), or a template's
                                 result, to a file: formula-safe, streamed in flat memory
  inlet keys [rotate]            show the tenant's hashing key ID and version, or make a new version
                                 current (tables hashed before keep theirs)
  inlet healthcheck [--url URL]  exit 0 if the server on INLET_ADDR answers /healthz (for container HEALTHCHECKs)
  inlet version

Every command takes --data-dir (INLET_DATA_DIR, default ./inlet-data) and
--tenant (INLET_TENANT, default "default"); "inlet COMMAND -h" lists the rest.
`

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1 // the command ran and failed (bad input, conflict, ...)
	exitUsage    = 2
	exitInternal = 3
)

func main() {
	// INLET_CPU_PROFILE=FILE writes a CPU profile: for measuring, not for users.
	if path := os.Getenv("INLET_CPU_PROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}

// run is main without the process: testable, with injected streams.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, rest, stdout, stderr)
	case "inspect":
		err = cmdInspect(ctx, rest, stdout, stderr)
	case "ingest":
		err = cmdIngest(ctx, rest, stdout, stderr)
	case "tables":
		err = cmdTables(ctx, rest, stdout, stderr)
	case "table":
		err = cmdTable(ctx, rest, stdout, stderr)
	case "glue":
		err = cmdGlue(ctx, rest, stdout, stderr)
	case "drop":
		err = cmdDrop(ctx, rest, stdout, stderr)
	case "rollback":
		err = cmdRollback(ctx, rest, stdout, stderr)
	case "diff":
		err = cmdDiff(ctx, rest, stdout, stderr)
	case "expect":
		err = cmdExpect(ctx, rest, stdout, stderr)
	case "query":
		err = cmdQuery(ctx, rest, stdout, stderr)
	case "export":
		err = cmdExport(ctx, rest, stdout, stderr)
	case "keys":
		err = cmdKeys(ctx, rest, stdout, stderr)
	case "healthcheck":
		err = cmdHealthcheck(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "inlet", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "inlet: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
	return exitCode(err, stderr)
}

var version = "dev"

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "inlet: %s\n", ue.msg)
		return exitUsage
	}
	if errors.Is(err, errFlagHelp) {
		return exitOK
	}
	if code := inlet.ErrorCode(err); code != inlet.EINTERNAL {
		fmt.Fprintf(stderr, "inlet: %s\n", inlet.ErrorMessage(err))
		return exitFailed
	}
	fmt.Fprintf(stderr, "inlet: internal error: %v\n", err)
	return exitInternal
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

var errFlagHelp = flag.ErrHelp

// config is everything a command can be told. Each setting comes from, in
// rising priority: its default, an INLET_* environment variable (with a
// _FILE variant for secrets), a flag.
type config struct {
	DataDir        string
	Tenant         string
	Addr           string
	DB             string
	Lake           string
	LogLevel       string
	LogFormat      string
	PhoneRegion    string
	MaxUploadBytes int64
	MaxCellBytes   int
	UploadTTL      time.Duration
	JobLease       time.Duration
	JobWorkers     int
	IngestWorkers  int
	MemoryLimit    int64
	QueryTimeout   time.Duration
	QueryMemory    string
	QueryRowLimit  int64
}

// env reads INLET_<key>, or the file named by INLET_<key>_FILE.
func env(key, def string) string {
	if v, ok := os.LookupEnv("INLET_" + key); ok {
		return v
	}
	if path, ok := os.LookupEnv("INLET_" + key + "_FILE"); ok {
		if b, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return def
}

func envInt(key string, def int64) int64 {
	if v, err := strconv.ParseInt(env(key, ""), 10, 64); err == nil {
		return v
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(env(key, "")); err == nil {
		return v
	}
	return def
}

// newFlags returns a flag set with the settings every command shares.
func newFlags(name string, cfg *config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("inlet "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.DataDir, "data-dir", env("DATA_DIR", "inlet-data"), "data directory (INLET_DATA_DIR)")
	fs.StringVar(&cfg.Tenant, "tenant", env("TENANT", "default"), "tenant (INLET_TENANT)")
	fs.StringVar(&cfg.DB, "db", env("DB", ""), "metadata database URL, sqlite://PATH (INLET_DB; default DATA_DIR/inlet.db)")
	fs.StringVar(&cfg.Lake, "lake", env("LAKE", ""), "lake URL, file://PATH (INLET_LAKE; default DATA_DIR/lake)")
	fs.StringVar(&cfg.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (INLET_LOG_LEVEL)")
	fs.StringVar(&cfg.LogFormat, "log-format", env("LOG_FORMAT", "text"), "text or json (INLET_LOG_FORMAT)")
	fs.StringVar(&cfg.PhoneRegion, "phone-region", env("PHONE_REGION", "US"), "region for phone numbers written without +country code (INLET_PHONE_REGION)")
	fs.IntVar(&cfg.MaxCellBytes, "max-cell-bytes", int(envInt("MAX_CELL_BYTES", 1<<20)), "largest cell accepted (INLET_MAX_CELL_BYTES)")
	fs.IntVar(&cfg.IngestWorkers, "ingest-workers", int(envInt("INGEST_WORKERS", 0)), "goroutines converting and encoding per ingest; 0: one per core (INLET_INGEST_WORKERS)")
	fs.DurationVar(&cfg.QueryTimeout, "query-timeout", envDuration("QUERY_TIMEOUT", time.Minute), "longest a query may run (INLET_QUERY_TIMEOUT)")
	fs.StringVar(&cfg.QueryMemory, "query-memory", env("QUERY_MEMORY", "1GB"), "memory the query engine may use, e.g. 1GB (INLET_QUERY_MEMORY)")
	fs.Int64Var(&cfg.QueryRowLimit, "query-row-limit", envInt("QUERY_ROW_LIMIT", 100000), "most rows an interactive query returns (INLET_QUERY_ROW_LIMIT)")
	fs.Int64Var(&cfg.MemoryLimit, "memory-limit", envInt("MEMORY_LIMIT", 0), "soft memory limit in bytes: the GC works harder near it (INLET_MEMORY_LIMIT; GOMEMLIMIT also works)")
	cfg.Addr = env("ADDR", "127.0.0.1:8080")
	cfg.MaxUploadBytes = envInt("MAX_UPLOAD_BYTES", 10<<30)
	cfg.UploadTTL = envDuration("UPLOAD_TTL", 24*time.Hour)
	cfg.JobLease = envDuration("JOB_LEASE", 30*time.Second)
	cfg.JobWorkers = int(envInt("JOB_WORKERS", 1))
	return fs
}

// parse parses flags and positional arguments in any order ("inspect FILE
// --json" and "inspect --json FILE" alike).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errFlagHelp
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// multiFlag collects a repeated KEY=VALUE flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// pairs splits KEY=VALUE entries.
func (m multiFlag) pairs(flagName string) ([][2]string, error) {
	var out [][2]string
	for _, v := range m {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return nil, &usageError{fmt.Sprintf("--%s %q: write it as COLUMN=VALUE", flagName, v)}
		}
		out = append(out, [2]string{k, val})
	}
	return out, nil
}

// applyMemoryLimit sets the Go runtime's soft memory limit: the flag, else
// GOMEMLIMIT as the runtime read it, else def (0: none).
func applyMemoryLimit(cfg *config, def int64) {
	limit := cfg.MemoryLimit
	if limit == 0 && os.Getenv("GOMEMLIMIT") == "" {
		limit = def
	}
	if limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

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

	"github.com/inlet-data/inlet/pii"
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
	S3             s3Settings
	Keys           string
	KMSEndpoint    string
	LogLevel       string
	LogFormat      string
	PhoneRegion    string
	MaxUploadBytes int64
	MaxCellBytes   int
	MaxColumns     int
	UploadTTL      time.Duration
	JobLease       time.Duration
	JobWorkers     int
	IngestWorkers  int
	MemoryLimit    int64
	QueryTimeout   time.Duration
	QueryMemory    int64
	LakeCacheSize  int64
	// LakeCacheTenant is the most of it one tenant's statements hold at
	// once; 0 is half of LakeCacheSize.
	LakeCacheTenant int64
	// WebhookLoopback lets schedules call webhooks on this machine.
	WebhookLoopback bool
	QueryRowLimit   int64
}

// flagSet is a command's flags, with the INLET_* environment read into
// them first: a variable that does not parse is an error naming it, not a
// silent default.
type flagSet struct {
	*flag.FlagSet
	envErrs []error
}

// envValue returns INLET_<key>, or the contents of the file INLET_<key>_FILE
// names (for secrets), and whether either was set.
func envValue(key string) (string, bool, error) {
	if v, ok := os.LookupEnv("INLET_" + key); ok {
		return v, true, nil
	}
	if path, ok := os.LookupEnv("INLET_" + key + "_FILE"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", true, fmt.Errorf("INLET_%s_FILE: %w", key, err)
		}
		return strings.TrimSpace(string(b)), true, nil
	}
	return "", false, nil
}

// setting registers a flag (name "" for environment only) over v, after
// setting v from its environment variable.
func (fs *flagSet) setting(v flag.Value, name, key, usage string) {
	if raw, ok, err := envValue(key); err != nil {
		fs.envErrs = append(fs.envErrs, err)
	} else if ok {
		if err := v.Set(raw); err != nil {
			fs.envErrs = append(fs.envErrs, fmt.Errorf("INLET_%s=%q: %v", key, raw, err))
		}
	}
	if name != "" {
		fs.Var(v, name, fmt.Sprintf("%s (INLET_%s)", usage, key))
	}
}

func (fs *flagSet) str(p *string, name, key, def, usage string) {
	*p = def
	fs.setting((*stringValue)(p), name, key, usage)
}

func (fs *flagSet) integer(p *int, name, key string, def int, usage string) {
	*p = def
	fs.setting((*intValue)(p), name, key, usage)
}

func (fs *flagSet) size(p *int64, name, key string, def int64, usage string) {
	*p = def
	fs.setting((*sizeValue)(p), name, key, usage)
}

func (fs *flagSet) duration(p *time.Duration, name, key string, def time.Duration, usage string) {
	*p = def
	fs.setting((*durationValue)(p), name, key, usage)
}

// boolValue is true or false (also 1/0, yes/no, on/off).
type boolValue bool

func (v *boolValue) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "on":
		*v = true
		return nil
	case "no", "off":
		*v = false
		return nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("not true or false")
	}
	*v = boolValue(b)
	return nil
}
func (v *boolValue) String() string   { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) IsBoolFlag() bool { return true }

type stringValue string

func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *stringValue) String() string     { return string(*v) }

type intValue int

func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("not a whole number")
	}
	*v = intValue(n)
	return nil
}
func (v *intValue) String() string { return strconv.Itoa(int(*v)) }

// sizeValue is a number of bytes, written as people write them: 1048576,
// 512MB, 1.5GiB, 10G.
type sizeValue int64

func (v *sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*v = sizeValue(n)
	return nil
}
func (v *sizeValue) String() string { return strconv.FormatInt(int64(*v), 10) }

var sizeUnits = map[string]float64{"": 1, "b": 1, "k": 1 << 10, "kb": 1e3, "kib": 1 << 10, "m": 1 << 20, "mb": 1e6,
	"mib": 1 << 20, "g": 1 << 30, "gb": 1e9, "gib": 1 << 30, "t": 1 << 40, "tb": 1e12, "tib": 1 << 40}

func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	f, err := strconv.ParseFloat(num, 64)
	mult, ok := sizeUnits[unit]
	if err != nil || !ok || f < 0 {
		return 0, fmt.Errorf("not a size: write bytes or a number with KB, MB, GB, TB (or KiB, MiB, GiB, TiB)")
	}
	return int64(f * mult), nil
}

// regionValue is a phone region: a two-letter country code.
type regionValue string

func (v *regionValue) Set(s string) error {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s != "" && !pii.IsRegion(s) {
		return fmt.Errorf("%q is not a phone region: use a two-letter country code such as DE, BR or JP", s)
	}
	*v = regionValue(s)
	return nil
}
func (v *regionValue) String() string { return string(*v) }

// durationValue is a Go duration, or days: 90s, 15m, 24h, 2d.
type durationValue time.Duration

func (v *durationValue) Set(s string) error {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.ParseFloat(days, 64); err == nil && n >= 0 {
			*v = durationValue(time.Duration(n * float64(24*time.Hour)))
			return nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("not a duration: write e.g. 90s, 15m, 24h or 2d")
	}
	*v = durationValue(d)
	return nil
}
func (v *durationValue) String() string { return time.Duration(*v).String() }

// newFlags returns a flag set with the settings every command shares.
func newFlags(name string, cfg *config, stderr io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("inlet "+name, flag.ContinueOnError)}
	fs.SetOutput(stderr)
	fs.str(&cfg.DataDir, "data-dir", "DATA_DIR", "inlet-data", "data directory")
	fs.str(&cfg.Tenant, "tenant", "TENANT", "default", "tenant")
	fs.str(&cfg.DB, "db", "DB", "", "metadata database URL, sqlite://PATH or postgres://USER:PASSWORD@HOST/DB (default DATA_DIR/inlet.db)")
	fs.str(&cfg.Lake, "lake", "LAKE", "", "lake URL, file://PATH (default DATA_DIR/lake) or s3://BUCKET/PREFIX")
	lakeFlags(fs, cfg)
	fs.str(&cfg.Keys, "keys", "KEYS", "", "hashing keys, file://DIR or kms://KEY_ARN_OR_ALIAS (data keys wrapped by AWS KMS, kept in the metadata database; region and credentials from AWS_*) (default DATA_DIR/keys)")
	fs.str(&cfg.KMSEndpoint, "kms-endpoint", "KMS_ENDPOINT", "", "AWS KMS endpoint URL instead of the region's, e.g. http://127.0.0.1:4599 for local-kms")
	fs.str(&cfg.LogLevel, "log-level", "LOG_LEVEL", "info", "debug, info, warn or error")
	fs.str(&cfg.LogFormat, "log-format", "LOG_FORMAT", "text", "text or json")
	fs.setting((*regionValue)(&cfg.PhoneRegion), "phone-region", "PHONE_REGION", "region of phone numbers written without +country code, e.g. DE (default: the tenant's setting, else US)")
	fs.integer(&cfg.MaxCellBytes, "max-cell-bytes", "MAX_CELL_BYTES", 1<<20, "largest cell accepted, bytes")
	fs.integer(&cfg.MaxColumns, "max-columns", "MAX_COLUMNS", 4096, "widest file accepted, in columns")
	fs.integer(&cfg.IngestWorkers, "ingest-workers", "INGEST_WORKERS", 0, "goroutines converting and encoding per ingest; 0: one per core")
	fs.duration(&cfg.QueryTimeout, "query-timeout", "QUERY_TIMEOUT", time.Minute, "longest a query may run")
	fs.size(&cfg.QueryMemory, "query-memory", "QUERY_MEMORY", 1<<30, "memory one tenant's queries may use at once, e.g. 1GB (a hard cap of the tenant's engine process)")
	fs.size(&cfg.LakeCacheSize, "lake-cache-size", "LAKE_CACHE_SIZE", 20<<30, "on an s3:// lake, most bytes of table files kept on local disk (DATA_DIR/lake-mirror) for queries and exports, e.g. 50GB")
	fs.size(&cfg.LakeCacheTenant, "lake-cache-tenant-size", "LAKE_CACHE_TENANT_SIZE", 0, "most of the lake cache one tenant's running statements hold at once, so that others find room (default: half of --lake-cache-size)")
	fs.size(&cfg.QueryRowLimit, "query-row-limit", "QUERY_ROW_LIMIT", 100000, "most rows an interactive query returns")
	fs.size(&cfg.MemoryLimit, "memory-limit", "MEMORY_LIMIT", 0, "soft memory limit: the GC works harder near it, e.g. 2GB (GOMEMLIMIT also works)")
	// Read by several commands, set by flags of serve only.
	fs.str(&cfg.Addr, "", "ADDR", "127.0.0.1:8080", "")
	fs.size(&cfg.MaxUploadBytes, "", "MAX_UPLOAD_BYTES", 10<<30, "")
	fs.duration(&cfg.UploadTTL, "", "UPLOAD_TTL", 24*time.Hour, "")
	fs.duration(&cfg.JobLease, "", "JOB_LEASE", 30*time.Second, "")
	fs.integer(&cfg.JobWorkers, "", "JOB_WORKERS", 1, "")
	return fs
}

// parse parses flags and positional arguments in any order ("inspect FILE
// --json" and "inspect --json FILE" alike).
func parse(fs *flagSet, args []string) ([]string, error) {
	if len(fs.envErrs) > 0 {
		return nil, &usageError{errors.Join(fs.envErrs...).Error()}
	}
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

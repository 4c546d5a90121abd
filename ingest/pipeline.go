package ingest

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/czstd"
	"github.com/inlet-data/inlet/pii"
)

// chunk is a run of raw records handed from the reader to a worker: all
// cells back to back in one buffer, so a chunk costs three allocations that
// are reused, whatever its row count.
type chunk struct {
	buf   []byte
	ends  []int32 // end offset of each cell in buf, width per row
	lines []int32
	rows  int
}

func (c *chunk) reset() {
	c.buf, c.ends, c.lines, c.rows = c.buf[:0], c.ends[:0], c.lines[:0], 0
}

func (c *chunk) add(rec [][]byte, line int) {
	for _, cell := range rec {
		c.buf = append(c.buf, cell...)
		c.ends = append(c.ends, int32(len(c.buf)))
	}
	c.lines = append(c.lines, int32(line))
	c.rows++
}

// record fills rec (of the table's width) with row r's cells.
func (c *chunk) record(r int, rec [][]byte) {
	w := len(rec)
	start := int32(0)
	if r > 0 {
		start = c.ends[r*w-1]
	}
	for i := 0; i < w; i++ {
		end := c.ends[r*w+i]
		rec[i] = c.buf[start:end:end]
		start = end
	}
}

// writeJob is one pass of writing a file's rows as Parquet data files.
type writeJob struct {
	plan     *plan
	targets  []target
	onError  string
	key      inlet.Key
	region   string
	now      time.Time // the ingest's time: age bands are computed at it
	lake     inlet.Lake
	dataDir  string // location prefix of the data files
	prefix   string // file name prefix, unique to the job
	cfg      Config
	progress func(rows, bytes int64)
	// personal marks the columns with a PII decision: their profiles keep
	// counts only.
	personal []bool
	// expect checks the table's expectations on every row (nil: none).
	expect *expectations
	// rejects keeps the rows skipped for errors (nil: not kept).
	rejects *rejects
}

// writeOutcome is what a pass wrote.
type writeOutcome struct {
	files     []inlet.DataFile
	rows      int64
	skipped   int64
	rowErrors []inlet.RowError
	sha256    string // of the whole file, when the source could hash it
	profiles  []colProfile
	failures  *expectFailures
}

// errWiden says a value did not fit an inferred column type; the caller
// re-infers over the whole file and writes again.
type errWiden struct{ column string }

func (e *errWiden) Error() string { return "column " + e.column + " needs a wider type" }

// run reads the source on one goroutine and converts, hashes and encodes on
// the others, each worker writing its own data files.
func (j *writeJob) run(ctx context.Context) (*writeOutcome, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	src, _, bytesRead, err := j.plan.open()
	if err != nil {
		return nil, err
	}
	defer src.Close()

	workers := j.cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	free := make(chan *chunk, workers+2)
	for i := 0; i < cap(free); i++ {
		free <- &chunk{}
	}
	full := make(chan *chunk, workers)

	out := &writeOutcome{}
	var mu sync.Mutex // guards out.files, out.rowErrors, out.skipped
	var rowsDone atomic.Int64

	// Progress ticks on its own schedule, off the hot path.
	stopProgress := make(chan struct{})
	var progressDone sync.WaitGroup
	if j.progress != nil {
		progressDone.Add(1)
		go func() {
			defer progressDone.Done()
			t := time.NewTicker(500 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stopProgress:
					return
				case <-t.C:
					j.progress(rowsDone.Load(), bytesRead())
				}
			}
		}()
	}

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var err error
			defer func() {
				if err != nil {
					cancel(err)
				}
			}()
			defer recovered(j.plan.fileName, &err)
			err = j.work(ctx, w, full, free, out, &mu, &rowsDone)
		}(w)
	}

	readErr := j.read(ctx, src, full, free, out, &mu)
	close(full)
	wg.Wait()
	close(stopProgress)
	progressDone.Wait()
	if readErr != nil {
		cancel(readErr)
	}
	if err := context.Cause(ctx); err != nil {
		j.removeFiles(out.files)
		return nil, err
	}
	out.rows = rowsDone.Load()
	if cs, ok := src.(checksummer); ok {
		out.sha256, _ = cs.SHA256()
	}
	if j.progress != nil {
		j.progress(out.rows, bytesRead())
	}
	return out, nil
}

// read feeds chunks of records to the workers.
func (j *writeJob) read(ctx context.Context, src source, full chan<- *chunk, free <-chan *chunk, out *writeOutcome, mu *sync.Mutex) error {
	width := j.plan.width
	var cur *chunk
	for {
		if cur == nil {
			select {
			case cur = <-free:
				cur.reset()
			case <-ctx.Done():
				return nil
			}
		}
		if app, ok := src.(appender); ok {
			// CSV: cells land in the chunk directly.
			n := len(cur.buf)
			buf, ends, err := app.NextInto(cur.buf)
			if err == io.EOF {
				break
			} else if err != nil {
				return fileErr(j.plan.fileName, err)
			}
			if len(ends) != width {
				cur.buf = buf[:n]
				if j.onError != "skip" {
					return fileErr(j.plan.fileName, widthError(j.plan, src.Line(), len(ends)))
				}
				reason := fmt.Sprintf("expected %d fields, found %d", width, len(ends))
				j.addRowError(out, mu, inlet.RowError{File: j.plan.fileName, Line: src.Line(), Reason: reason})
				j.rejects.row(nil, src.Line(), "", reason, nil)
				continue
			}
			cur.buf = buf
			for _, e := range ends {
				cur.ends = append(cur.ends, int32(e))
			}
			cur.lines = append(cur.lines, int32(src.Line()))
			cur.rows++
		} else {
			rec, err := src.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				return fileErr(j.plan.fileName, err)
			}
			if len(rec) < width && j.plan.format == inlet.FormatXLSX {
				rec = append(rec, make([][]byte, width-len(rec))...)
			}
			if len(rec) != width {
				if j.onError != "skip" {
					return fileErr(j.plan.fileName, widthError(j.plan, src.Line(), len(rec)))
				}
				reason := fmt.Sprintf("expected %d fields, found %d", width, len(rec))
				j.addRowError(out, mu, inlet.RowError{File: j.plan.fileName, Line: src.Line(), Reason: reason})
				j.rejects.row(nil, src.Line(), "", reason, nil)
				continue
			}
			cur.add(rec, src.Line())
		}
		if cur.rows >= j.cfg.BatchRows {
			select {
			case full <- cur:
				cur = nil
			case <-ctx.Done():
				return nil
			}
		}
	}
	if cur != nil && cur.rows > 0 {
		select {
		case full <- cur:
		case <-ctx.Done():
		}
	}
	return nil
}

func (j *writeJob) addRowError(out *writeOutcome, mu *sync.Mutex, e inlet.RowError) {
	mu.Lock()
	defer mu.Unlock()
	out.skipped++
	if len(out.rowErrors) < j.cfg.MaxRowErrors {
		out.rowErrors = append(out.rowErrors, e)
	}
}

// work converts chunks into batches and writes them to this worker's files.
func (j *writeJob) work(ctx context.Context, w int, full <-chan *chunk, free chan<- *chunk, out *writeOutcome, mu *sync.Mutex, rowsDone *atomic.Int64) (closeErr error) {
	conv := newConverter(j.targets, j.plan.nulls, pii.NewHasher(j.key, j.region))
	conv.now = j.now
	sc, err := parquetSchema(j.targets)
	if err != nil {
		return err
	}
	prof := newProfiler(j.targets, j.personal, uint64(w)+0x9e3779b97f4a7c15)
	check := j.expect.checker()
	var lines []int32 // of the batch's converted rows
	fw := &fileRoller{job: j, worker: w, schema: sc}
	defer func() {
		if closeErr == nil {
			mu.Lock()
			out.mergeProfiles(prof.cols)
			out.failures = out.failures.merge(check.failures())
			mu.Unlock()
		}
		// Files are recorded even when closing fails, so they get removed.
		files, err := fw.close()
		mu.Lock()
		out.files = append(out.files, files...)
		mu.Unlock()
		if err != nil {
			closeErr = err
		}
	}()
	rec := make([][]byte, j.plan.width)
	for ch := range full {
		if ctx.Err() != nil {
			free <- ch
			continue // drain so the reader never blocks
		}
		lines = lines[:0]
		for r := 0; r < ch.rows; r++ {
			ch.record(r, rec)
			failed, reason := conv.convertRow(rec)
			if failed < 0 {
				lines = append(lines, ch.lines[r])
				continue
			}
			t := &j.targets[failed]
			line := int(ch.lines[r])
			switch {
			case j.onError == "skip":
				j.addRowError(out, mu, inlet.RowError{File: j.plan.fileName, Line: line, Column: t.source, Reason: reason})
				j.rejects.row(conv, line, t.source, reason, rec)
			case j.onError == "widen" && !t.explicit:
				free <- ch
				return &errWiden{column: t.name}
			default:
				free <- ch
				return (&FileError{File: j.plan.fileName, Line: line, Column: t.src + 1, Name: t.source,
					Reason: reason + " (choose another type for this column, or skip rows with errors)"}).asInletError()
			}
		}
		n := int64(conv.rows)
		prof.observe(conv)
		check.observe(conv, lines)
		err := fw.write(ctx, conv)
		conv.reset()
		free <- ch
		if err != nil {
			return err
		}
		rowsDone.Add(n)
	}
	return nil
}

// mergeProfiles adds a worker's profiles to the pass's.
func (o *writeOutcome) mergeProfiles(cols []colProfile) {
	if o.profiles == nil {
		o.profiles = cols
		return
	}
	for i := range cols {
		o.profiles[i].merge(&cols[i])
	}
}

func (j *writeJob) removeFiles(files []inlet.DataFile) {
	for _, f := range files {
		_ = j.lake.Delete(context.Background(), f.Location)
	}
}

// writerProps are the Parquet settings for data files: zstd, statistics,
// and dictionaries only where values repeat: hashes, ids and timestamps are
// (nearly) unique, and a dictionary there costs time and saves nothing.
func (j *writeJob) writerProps() *parquet.WriterProperties {
	czstd.Use()
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(czstd.Level),
		parquet.WithMaxRowGroupLength(int64(j.cfg.RowGroupRows)),
		parquet.WithDataPageSize(j.cfg.PageBytes),
		parquet.WithStats(true),
		parquet.WithCreatedBy("inlet"),
	}
	for _, t := range j.targets {
		if t.kind == kHash || t.distinct > 0.5 {
			opts = append(opts, parquet.WithDictionaryFor(t.name, false))
		}
		if t.kind == kHash {
			// Min and max of hashes prune nothing; computing them costs.
			opts = append(opts, parquet.WithStatsFor(t.name, false))
		}
	}
	return parquet.NewWriterProperties(opts...)
}

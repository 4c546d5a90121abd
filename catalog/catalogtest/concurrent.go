package catalogtest

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	inlet "github.com/inlet-data/inlet"
)

// racer is one write of a race: planned (and its files written) before
// the start, committed through its own catalog instance at it.
type racer struct {
	cat  Catalog
	w    write
	wp   *inlet.WritePlan
	snap *inlet.Snapshot
	err  error
}

// race plans every write, each through a new catalog instance, then
// commits them all at once, running also at that moment.
func (e *env) race(ws []write, also ...func()) []*racer {
	e.t.Helper()
	rs := make([]*racer, len(ws))
	for i, w := range ws {
		r := &racer{cat: e.Open(), w: w.withDefaults()}
		wp, err := e.plan(r.cat, r.w)
		if err != nil {
			e.t.Fatalf("plan %s %d: %v", w.mode, i, err)
		}
		r.wp = wp
		rs[i] = r
	}
	files := make([]inlet.DataFile, len(rs))
	for i, r := range rs {
		files[i] = e.dataFile(r.wp, 0, r.w.rows)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r.snap, r.err = r.cat.Commit(e.ctx, r.wp, []inlet.DataFile{files[i]}, lineageOf(r.wp, r.w))
		}()
	}
	for _, fn := range also {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn()
		}()
	}
	close(start)
	wg.Wait()
	return rs
}

// history is a table's current history, oldest first: the current
// snapshot and its ancestors.
func (e *env) history(tb *inlet.Table) []inlet.Snapshot {
	byID := map[int64]inlet.Snapshot{}
	for _, s := range tb.Snapshots {
		byID[s.ID] = s
	}
	var out []inlet.Snapshot
	for id := tb.CurrentSnapshot; id != nil; {
		s, ok := byID[*id]
		if !ok {
			e.t.Fatalf("snapshot %d of the history is not in the table's snapshots", *id)
		}
		out = append(out, s)
		id = s.ParentID
	}
	slices.Reverse(out)
	return out
}

// Appends committed at once through separate catalog instances (replicas,
// cron jobs, workers) all land, each exactly once, one snapshot each, in
// one line of history.
func testConcurrentAppends(e *env) {
	t := e.t
	const writers = 6
	e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(0, 0)})
	var ws []write
	want := []int64{0}
	for k := int64(1); k <= writers; k++ {
		ws = append(ws, write{mode: inlet.ModeAppend, rows: idRows(100*k, 100*k+2)})
		want = append(want, span(100*k, 100*k+2)...)
	}
	rs := e.race(ws)
	for i, r := range rs {
		if r.err != nil {
			t.Errorf("append %d: %v", i, r.err)
		}
	}
	if got := e.ids(e.Open(), tenant, orders); !slices.Equal(got, want) {
		t.Errorf("ids %v\nwant %v", got, want)
	}
	tb := e.table(e.cat, tenant, orders)
	h := e.history(tb)
	if len(tb.Snapshots) != writers+1 || len(h) != writers+1 || tb.Rows != int64(len(want)) {
		t.Errorf("%d snapshots, %d in the history, %d rows; want %d, %d, %d", len(tb.Snapshots), len(h), tb.Rows, writers+1, writers+1, len(want))
	}
	// One manifest list and one manifest per snapshot: the refused tries'
	// are removed.
	var avro []string
	for _, loc := range e.List(tb.Location + "/metadata/") {
		if strings.HasSuffix(loc, ".avro") {
			avro = append(avro, loc)
		}
	}
	if len(avro) != 2*(writers+1) {
		t.Errorf("%d Avro files in the table's metadata, want %d (a manifest list and a manifest per snapshot)", len(avro), 2*(writers+1))
	}
	for i, r := range rs {
		js, err := e.cat.JobSnapshot(e.ctx, tenant, orders, r.w.job)
		if err != nil || js == nil || r.snap == nil || js.ID != r.snap.ID || !slices.ContainsFunc(h, func(s inlet.Snapshot) bool { return s.ID == js.ID }) {
			t.Errorf("append %d: its snapshot %+v (%v), committed as %+v, is not in the history", i, js, err, r.snap)
		}
	}
}

// Creates of one table at once: exactly one wins, the others are refused
// with ECONFLICT and their Abort leaves the winner's files alone.
func testConcurrentCreates(e *env) {
	t := e.t
	var ws []write
	for k := int64(1); k <= 4; k++ {
		ws = append(ws, write{mode: inlet.ModeCreate, rows: idRows(10*k, 10*k+1)})
	}
	rs := e.race(ws)
	var winner *racer
	for i, r := range rs {
		switch {
		case r.err == nil && winner == nil:
			winner = r
		case r.err == nil:
			t.Errorf("create %d committed too", i)
		default:
			wantCode(t, fmt.Sprintf("create %d of a table another created at once", i), r.err, inlet.ECONFLICT)
			if err := r.cat.Abort(e.ctx, r.wp); err != nil {
				t.Error(err)
			}
		}
	}
	if winner == nil {
		t.Fatal("no create committed")
	}
	if got, want := e.ids(e.Open(), tenant, orders), []int64{winner.w.rows[0][0].(int64), winner.w.rows[1][0].(int64)}; !slices.Equal(got, want) {
		t.Errorf("ids %v, want the winner's %v", got, want)
	}
	if tb := e.table(e.cat, tenant, orders); len(tb.Snapshots) != 1 || tb.Location != winner.wp.Location {
		t.Errorf("%d snapshots at %s, want the winner's one at %s", len(tb.Snapshots), tb.Location, winner.wp.Location)
	}
}

// An overwrite (or an upsert) committed at the same time as appends: every
// append lands (appends retry), and the overwrite either is refused with
// ECONFLICT or wins cleanly; either way the rows are exactly what the
// history says, replayed in order, so no append is ever lost without a
// later overwrite in the history replacing it.
func testConcurrentOverwrite(e *env) { e.raceAppends(inlet.ModeOverwrite) }

func testConcurrentUpsert(e *env) { e.raceAppends(inlet.ModeUpsert) }

func (e *env) raceAppends(mode inlet.WriteMode) {
	t := e.t
	const rounds, appenders = 3, 3
	for round := 0; round < rounds; round++ {
		ref := inlet.TableRef{Database: "sales", Name: fmt.Sprintf("round%d", round)}
		e.do(e.cat, write{ref: ref, mode: inlet.ModeCreate, rows: idRows(1, 2)})
		var ws []write
		for k := int64(1); k <= appenders; k++ {
			ws = append(ws, write{ref: ref, mode: inlet.ModeAppend, rows: idRows(100*k, 100*k+1)})
			if int(k) == round+1 { // the overwrite commits first, in the middle, last
				ws = append(ws, write{ref: ref, mode: mode, keys: []string{"id"}, rows: [][]any{{int64(1), "new"}, {int64(900), "new"}}})
			}
		}
		rs := e.race(ws)
		written := map[string][]int64{}
		overwrote := false
		for i, r := range rs {
			ids := make([]int64, len(r.w.rows))
			for j, row := range r.w.rows {
				ids[j] = row[0].(int64)
			}
			written[r.w.job] = ids
			switch {
			case r.w.mode == mode && r.err == nil:
				overwrote = true
			case r.w.mode == mode:
				wantCode(t, "an "+string(mode)+" that met appends", r.err, inlet.ECONFLICT)
				if err := r.cat.Abort(e.ctx, r.wp); err != nil {
					t.Error(err)
				}
			case r.err != nil:
				t.Errorf("round %d: append %d: %v", round, i, r.err)
			}
		}
		tb := e.table(e.Open(), tenant, ref)
		h := e.history(tb)
		var want []int64
		var modes []string
		for _, s := range h {
			if s.Lineage == nil {
				t.Fatalf("snapshot %d has no lineage", s.ID)
			}
			ids, ok := written[s.Lineage.JobID]
			switch {
			case s.Lineage.Mode == inlet.ModeCreate:
				want = span(1, 2)
			case !ok:
				t.Fatalf("snapshot %d was written by job %s, which is none of the race's", s.ID, s.Lineage.JobID)
			case s.Lineage.Mode == inlet.ModeOverwrite:
				want = slices.Clone(ids)
			case s.Lineage.Mode == inlet.ModeUpsert:
				want = append(slices.DeleteFunc(want, func(id int64) bool { return slices.Contains(ids, id) }), ids...)
			default:
				want = append(want, ids...)
			}
			modes = append(modes, string(s.Lineage.Mode))
			delete(written, s.Lineage.JobID)
		}
		for _, r := range rs {
			if _, missing := written[r.w.job]; missing && r.err == nil {
				t.Errorf("round %d: %s of job %s committed as %+v but is not in the history", round, r.w.mode, r.w.job, r.snap)
			}
		}
		slices.Sort(want)
		if got := e.ids(e.cat, tenant, ref); !slices.Equal(got, want) {
			t.Errorf("round %d (%s committed: %v; history %v): ids %v, want %v", round, mode, overwrote, modes, got, want)
		}
		t.Logf("round %d: %s committed: %v; history %v", round, mode, overwrote, modes)
	}
}

// A rollback or a change of table info at the same time as appends is
// done or refused with ECONFLICT, never an internal error, and loses no
// append it did not mean to undo.
func testConcurrentMetadata(e *env) {
	t := e.t
	_, s1 := e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 1)})
	_, s2 := e.do(e.cat, write{mode: inlet.ModeAppend, rows: idRows(2, 2)})
	var ws []write
	for k := int64(1); k <= 3; k++ {
		ws = append(ws, write{mode: inlet.ModeAppend, rows: idRows(100*k, 100*k)})
	}
	rb, info := e.Open(), e.Open()
	desc := "busy table"
	var rbErr, infoErr error
	rs := e.race(ws,
		func() { rbErr = rb.Rollback(e.ctx, tenant, orders, s1.ID) },
		func() { infoErr = info.SetTableInfo(e.ctx, tenant, orders, inlet.TableInfo{Description: &desc}) })
	for i, r := range rs {
		if r.err != nil {
			t.Errorf("append %d: %v", i, r.err)
		}
	}
	if rbErr != nil {
		wantCode(t, "a rollback among appends", rbErr, inlet.ECONFLICT)
	}
	if infoErr != nil {
		wantCode(t, "table info among appends", infoErr, inlet.ECONFLICT)
	}
	tb := e.table(e.Open(), tenant, orders)
	h := e.history(tb)
	inHistory := func(id int64) bool { return slices.ContainsFunc(h, func(s inlet.Snapshot) bool { return s.ID == id }) }
	if rbErr == nil && inHistory(s2.ID) {
		t.Errorf("the rollback to %d succeeded but %d is still in the history", s1.ID, s2.ID)
	}
	if rbErr != nil {
		for i, r := range rs {
			if !inHistory(r.snap.ID) {
				t.Errorf("append %d is not in the history, and the rollback was refused", i)
			}
		}
	}
	if infoErr == nil && tb.Description != desc {
		t.Errorf("description %q after a change that succeeded", tb.Description)
	}
	t.Logf("rollback: %v; table info: %v", rbErr, infoErr)
}

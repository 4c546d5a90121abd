package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

func findSpec(spec inlet.IngestSpec, c column) *inlet.ColumnSpec {
	for i := range spec.Columns {
		if s := spec.Columns[i].Source; s == c.source || s == c.name {
			return &spec.Columns[i]
		}
	}
	return nil
}

// resolveTargets applies the uploader's choices to the inspected columns and
// returns the table columns (with their PII records) and the targets that
// write them, in the same order. Detected PII is hashed unless the spec says
// otherwise; keeping it raw needs a reason.
func resolveTargets(p *plan, spec inlet.IngestSpec, keyID string) ([]inlet.Column, []target, error) {
	for _, cs := range spec.Columns {
		found := false
		for _, c := range p.columns {
			if cs.Source == c.source || cs.Source == c.name {
				found = true
			}
		}
		if !found {
			names := make([]string, len(p.columns))
			for i, c := range p.columns {
				names[i] = c.name
			}
			return nil, nil, inlet.Errorf(inlet.EINVALID, "no column %q in %s (columns: %s)", cs.Source, p.fileName, strings.Join(names, ", "))
		}
	}
	var cols []inlet.Column
	var targets []target
	used := map[string]string{}
	for i, c := range p.columns {
		cs := findSpec(spec, c)
		if cs == nil {
			cs = &inlet.ColumnSpec{}
		}
		action := cs.Action
		if action == "" {
			action = inlet.ActionKeep
			if c.finding != nil {
				action = inlet.ActionHash
			}
		}
		if _, err := inlet.ParseAction(string(action)); err != nil {
			return nil, nil, err
		}
		if action == inlet.ActionKeep && c.finding != nil && strings.TrimSpace(cs.Reason) == "" {
			return nil, nil, inlet.Errorf(inlet.EINVALID, "column %s looks like %s (%s): keeping it unhashed needs a reason", c.name, c.finding.Entity, c.finding.Reason)
		}
		if action == inlet.ActionDrop {
			continue
		}
		name := c.name
		if cs.Name != "" {
			name = cs.Name
			if err := inlet.ValidateName("column", name); err != nil {
				return nil, nil, err
			}
		}
		if prev, dup := used[name]; dup {
			return nil, nil, inlet.Errorf(inlet.EINVALID, "columns %q and %q would both be named %s", prev, c.source, name)
		}
		used[name] = c.source
		t := target{src: i, name: name, source: c.source, typ: c.typ, numStyle: c.numStyle, dateOrder: c.dateOrder, distinct: c.distinct}
		if cs.Type != "" {
			typ, err := inlet.ParseType(string(cs.Type))
			if err != nil {
				return nil, nil, err
			}
			t.typ, t.explicit = typ, true
		}
		t.kind, t.precision, t.scale = kindOfType(t.typ)
		col := inlet.Column{Name: name, SourceName: c.source, Type: t.typ}
		entity := inlet.Entity("")
		if c.finding != nil {
			entity = c.finding.Entity
		}
		switch action {
		case inlet.ActionHash, inlet.ActionMask:
			t.kind, t.typ, t.entity = kHash, inlet.TypeString, entity
			if action == inlet.ActionMask {
				t.kind = kMask
			}
			col.Type = inlet.TypeString
			col.PII = &inlet.ColumnPII{Entity: entity, Action: action}
			if action == inlet.ActionHash {
				col.PII.KeyID = keyID
			}
		case inlet.ActionKeep:
			if c.finding != nil {
				col.PII = &inlet.ColumnPII{Entity: entity, Action: action, Reason: cs.Reason}
			}
		}
		col.Comment = columnComment(col, c.finding)
		cols = append(cols, col)
		targets = append(targets, t)
	}
	if len(targets) == 0 {
		return nil, nil, inlet.Errorf(inlet.EINVALID, "every column of %s is dropped: nothing to write", p.fileName)
	}
	return cols, targets, nil
}

// columnComment is the catalog comment of a column: where it came from and,
// for personal data, what was done to it. Engines show it next to the column.
func columnComment(c inlet.Column, f *inlet.Finding) string {
	var parts []string
	if c.PII != nil {
		entity := string(c.PII.Entity)
		if entity == "" {
			entity = "personal data"
		}
		switch c.PII.Action {
		case inlet.ActionHash:
			parts = append(parts, fmt.Sprintf("PII %s, hashed: HMAC-SHA256 hex of the normalised value, key %s", entity, c.PII.KeyID))
		case inlet.ActionMask:
			parts = append(parts, fmt.Sprintf("PII %s, masked", entity))
		case inlet.ActionKeep:
			parts = append(parts, fmt.Sprintf("PII %s, kept unhashed: %s", entity, c.PII.Reason))
		}
	}
	if c.SourceName != "" && c.SourceName != c.Name {
		parts = append(parts, "source column: "+c.SourceName)
	}
	return strings.Join(parts, "; ")
}

// adoptTableTypes makes targets write the types the table already has, where
// the catalog chose them (append into an existing table), and takes the
// field ids the catalog assigned.
func adoptTableTypes(targets []target, wp *inlet.WritePlan) error {
	if len(wp.Columns) != len(targets) || len(wp.FieldIDs) != len(targets) {
		return fmt.Errorf("write plan has %d columns, want %d", len(wp.Columns), len(targets))
	}
	for i := range targets {
		t := &targets[i]
		t.fieldID = wp.FieldIDs[i]
		if typ := wp.Columns[i].Type; typ != t.typ && t.kind != kHash && t.kind != kMask {
			t.typ, t.explicit = typ, true
			t.kind, t.precision, t.scale = kindOfType(typ)
		}
	}
	return nil
}

// widenTargets types every row of the file for the columns whose type was
// inferred, and widens those the sample got too narrow. It returns the names
// of the widened columns.
func widenTargets(ctx context.Context, p *plan, targets []target) ([]string, error) {
	src, _, _, err := p.open()
	if err != nil {
		return nil, err
	}
	defer src.Close()
	infs := make([]*inferrer, len(targets))
	for i, t := range targets {
		if !t.explicit && t.kind != kHash && t.kind != kMask && t.kind != kString {
			infs[i] = newInferrer(t.numStyle, t.dateOrder)
		}
	}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rec, err := src.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, fileErr(p.fileName, err)
		}
		for i, t := range targets {
			if infs[i] == nil || t.src >= len(rec) {
				continue
			}
			c := bytes.TrimSpace(rec[t.src])
			if !p.nulls.has(c) {
				infs[i].observe(c)
			}
		}
	}
	var widened []string
	for i := range targets {
		if infs[i] == nil {
			continue
		}
		t := &targets[i]
		typ, _, _ := infs[i].result()
		if typ != t.typ {
			widened = append(widened, fmt.Sprintf("%s: %s → %s", t.name, t.typ, typ))
			t.typ = typ
			t.kind, t.precision, t.scale = kindOfType(typ)
			st, _ := infs[i].style()
			t.numStyle = st
			o, _ := infs[i].order()
			t.dateOrder = o
		}
	}
	return widened, nil
}

func statFile(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
)

func findSpec(spec inlet.IngestSpec, c column) *inlet.ColumnSpec {
	for i := range spec.Columns {
		if s := spec.Columns[i].Source; s == c.source || s == c.name {
			return &spec.Columns[i]
		}
	}
	return nil
}

// resolved is what the uploader's choices make of the inspected columns:
// the table's columns (with their PII records) and the targets that write
// them, in the same order; what was decided about each column of personal
// data (for the lineage); and the possible personal data kept as it is.
type resolved struct {
	cols      []inlet.Column
	targets   []target
	decisions []inlet.PIIDecision
	uncertain []string
}

// resolveTargets applies the uploader's choices to the inspected columns.
// Detected PII is hashed (free text redacted) unless the spec says
// otherwise; keeping it raw needs a reason. region is the upload's phone
// region, for numbers a column's finding gives no region for.
func resolveTargets(p *plan, spec inlet.IngestSpec, keyID, region string) (*resolved, error) {
	r := &resolved{}
	uncertain := &r.uncertain
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
			return nil, inlet.Errorf(inlet.EINVALID, "no column %q in %s (columns: %s)", cs.Source, p.fileName, strings.Join(names, ", "))
		}
	}
	used := map[string]string{}
	for i, c := range p.columns {
		cs := findSpec(spec, c)
		if cs == nil {
			cs = &inlet.ColumnSpec{}
		}
		certain := c.finding != nil && !c.finding.Possible
		action := cs.Action
		if action == "" {
			action = inlet.ActionKeep
			switch {
			case certain && c.finding.Entity == inlet.EntityFreeText:
				action = inlet.ActionRedact
			case certain:
				action = inlet.ActionHash
			}
		}
		action, err := inlet.ParseAction(string(action))
		if err != nil {
			return nil, err
		}
		if action == inlet.ActionKeep && certain && strings.TrimSpace(cs.Reason) == "" {
			return nil, inlet.Errorf(inlet.EINVALID, "column %s looks like %s (%s): keeping it unhashed needs a reason", c.name, c.finding.Entity, c.finding.Reason)
		}
		if action == inlet.ActionDrop {
			if c.finding != nil || cs.Entity != "" {
				d := inlet.PIIDecision{Column: c.name, Entity: cs.Entity, Action: action, Reason: cs.Reason}
				if c.finding != nil {
					d.Confidence = c.finding.Confidence
					if d.Entity == "" {
						d.Entity = c.finding.Entity
					}
				}
				r.decisions = append(r.decisions, d)
			}
			continue
		}
		name := c.name
		if cs.Name != "" {
			name = cs.Name
			if err := inlet.ValidateName("column", name); err != nil {
				return nil, err
			}
		}
		if prev, dup := used[name]; dup {
			return nil, inlet.Errorf(inlet.EINVALID, "columns %q and %q would both be named %s", prev, c.source, name)
		}
		used[name] = c.source
		t := target{src: i, name: name, source: c.source, typ: c.typ, numStyle: c.numStyle, dateOrder: c.dateOrder, distinct: c.distinct}
		if cs.Type != "" {
			typ, err := inlet.ParseType(string(cs.Type))
			if err != nil {
				return nil, err
			}
			t.typ, t.explicit = typ, true
		}
		t.kind, t.precision, t.scale = kindOfType(t.typ)
		col := inlet.Column{Name: name, SourceName: c.source, Type: t.typ}
		entity := inlet.Entity("")
		if c.finding != nil {
			entity = c.finding.Entity
		}
		if cs.Entity != "" {
			if entity, err = inlet.ParseEntity(string(cs.Entity)); err != nil {
				return nil, err
			}
		}
		if entity == "" && action != inlet.ActionKeep {
			entity = inlet.EntityOther // marked by the uploader without saying what it is
		}
		t.region, t.regionSrc = region, -1
		if c.finding != nil {
			for _, r := range c.finding.Regions {
				if r != "+" {
					t.region = r
					break
				}
			}
			for j, other := range p.columns {
				if c.finding.CountryColumn != "" && other.source == c.finding.CountryColumn {
					t.regionSrc = j
				}
			}
		}
		switch action {
		case inlet.ActionHash, inlet.ActionMask, inlet.ActionRedact, inlet.ActionGeneralise:
			t.typ, t.entity = inlet.TypeString, entity
			switch action {
			case inlet.ActionHash:
				t.kind = kHash
			case inlet.ActionMask:
				t.kind = kMask
			case inlet.ActionRedact:
				t.kind = kRedact
			case inlet.ActionGeneralise:
				t.kind, t.level = kGeneralise, cs.Level
				if t.level == "" {
					t.level = pii.DefaultLevel(entity)
				}
				if err := pii.CheckLevel(entity, t.level); err != nil {
					return nil, inlet.Errorf(inlet.EINVALID, "column %s: %s", c.name, inlet.ErrorMessage(err))
				}
			}
			col.Type = inlet.TypeString
			col.PII = &inlet.ColumnPII{Entity: entity, Action: action, Level: t.level}
			if action == inlet.ActionHash || action == inlet.ActionRedact {
				col.PII.KeyID = keyID
			}
		case inlet.ActionKeep:
			switch {
			case certain || cs.Entity != "":
				col.PII = &inlet.ColumnPII{Entity: entity, Action: action, Reason: cs.Reason}
			case c.finding != nil && cs.Action == "":
				// Possible personal data nobody decided on: kept, and said so.
				*uncertain = append(*uncertain, fmt.Sprintf("%s: %s", c.name, c.finding.Reason))
			}
		}
		col.Comment = columnComment(col, c.finding)
		if col.PII != nil {
			d := inlet.PIIDecision{Column: name, Entity: col.PII.Entity, Action: col.PII.Action, KeyID: col.PII.KeyID,
				Reason: col.PII.Reason, Level: col.PII.Level}
			if c.finding != nil {
				d.Confidence = c.finding.Confidence
			}
			r.decisions = append(r.decisions, d)
		}
		r.cols = append(r.cols, col)
		r.targets = append(r.targets, t)
	}
	if len(r.targets) == 0 {
		return nil, inlet.Errorf(inlet.EINVALID, "every column of %s is dropped: nothing to write", p.fileName)
	}
	return r, nil
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
		case inlet.ActionRedact:
			parts = append(parts, fmt.Sprintf("free text with personal data redacted: each piece replaced by [entity:HMAC-SHA256 hex], key %s", c.PII.KeyID))
		case inlet.ActionGeneralise:
			parts = append(parts, fmt.Sprintf("PII %s, %s", entity, pii.DescribeLevel(c.PII.Entity, c.PII.Level)))
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
		if typ := wp.Columns[i].Type; typ != t.typ && !t.kind.transforms() {
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
		if !t.explicit && !t.kind.transforms() && t.kind != kString {
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

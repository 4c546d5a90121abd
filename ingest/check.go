package ingest

import (
	"fmt"
	"sort"
	"strings"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
)

// CheckPlan checks an uploader's ingest choices against the file's
// inspection and the target table (nil when it does not exist), and returns
// every problem on its field, or nil. The review page calls it as the
// uploader edits, the server before it queues the job, and the job before
// it reads a row: a choice that can be fixed is refused before any work,
// and the upload stays.
//
// Fields are "database", "table", "mode", "keys", "on_error" and, per column,
// "columns.SOURCE.name|type|action|reason|entity|level".
func CheckPlan(ins *inlet.Inspection, spec inlet.IngestSpec, existing *inlet.Table) error {
	fields := map[string]string{}
	add := func(field, format string, args ...any) {
		if _, ok := fields[field]; !ok {
			fields[field] = fmt.Sprintf(format, args...)
		}
	}
	mode := spec.Mode
	if mode == "" {
		mode = inlet.ModeCreate
	}
	if _, err := inlet.ParseWriteMode(string(mode)); err != nil {
		add("mode", "%s", inlet.ErrorMessage(err))
	}
	switch spec.OnError {
	case "", "widen", "skip", "fail":
	default:
		add("on_error", "unknown on_error %q: use widen, skip or fail", spec.OnError)
	}
	if err := inlet.ValidateName("database", spec.Table.Database); err != nil {
		add("database", "%s", inlet.ErrorMessage(err))
	}
	if err := inlet.ValidateName("table", spec.Table.Name); err != nil {
		add("table", "%s", inlet.ErrorMessage(err))
	}
	switch {
	case mode == inlet.ModeCreate && existing != nil:
		add("table", "table %s already exists: append to it, overwrite it, or choose another name", spec.Table)
	case mode != inlet.ModeCreate && existing == nil && fields["table"] == "":
		add("table", "table %s does not exist: create it, or choose an existing table", spec.Table)
	}
	known := map[string]bool{}
	for _, c := range ins.Columns {
		known[c.SourceName], known[c.Name] = true, true
	}
	for _, cs := range spec.Columns {
		if !known[cs.Source] {
			add("columns."+cs.Source, "no column %q in %s", cs.Source, ins.FileName)
		}
	}
	have := map[string]inlet.Type{}
	if existing != nil {
		for _, c := range existing.Columns {
			have[c.Name] = c.Type
		}
	}
	used := map[string]string{}
	kept := 0
	for _, c := range ins.Columns {
		key := "columns." + c.SourceName
		var cs inlet.ColumnSpec
		for _, s := range spec.Columns {
			if s.Source == c.SourceName || s.Source == c.Name {
				cs = s // the first that names the column, as the job takes it
				break
			}
		}
		certain := c.PII != nil && !c.PII.Possible
		action := cs.Action
		if action == "" {
			action = inlet.ActionKeep
			if certain {
				action = inlet.ActionHash
				if c.PII.Entity == inlet.EntityFreeText {
					action = inlet.ActionRedact
				}
			}
		}
		action, err := inlet.ParseAction(string(action))
		if err != nil {
			add(key+".action", "%s", inlet.ErrorMessage(err))
			continue
		}
		if action == inlet.ActionKeep && certain && strings.TrimSpace(cs.Reason) == "" {
			add(key+".reason", "column %s looks like %s: keeping it unhashed needs a reason (or protect it)", c.SourceName, c.PII.Entity)
		}
		if action == inlet.ActionDrop {
			continue
		}
		kept++
		name := c.Name
		if cs.Name != "" {
			name = cs.Name
			if err := inlet.ValidateName("column", name); err != nil {
				add(key+".name", "%s", inlet.ErrorMessage(err))
			}
		}
		if prev, dup := used[name]; dup {
			add(key+".name", "column %s is also named %s: choose another name for one of them", prev, name)
		}
		used[name] = c.SourceName
		typ := c.Type
		if cs.Type != "" {
			if typ, err = inlet.ParseType(string(cs.Type)); err != nil {
				add(key+".type", "%s", inlet.ErrorMessage(err))
			}
		}
		entity := inlet.Entity("")
		if c.PII != nil {
			entity = c.PII.Entity
		}
		if cs.Entity != "" {
			if entity, err = inlet.ParseEntity(string(cs.Entity)); err != nil {
				add(key+".entity", "%s", inlet.ErrorMessage(err))
			}
		}
		switch action {
		case inlet.ActionHash, inlet.ActionMask, inlet.ActionRedact, inlet.ActionGeneralise:
			typ = inlet.TypeString
			if action == inlet.ActionGeneralise {
				level := cs.Level
				if level == "" {
					level = pii.DefaultLevel(entity)
				}
				if err := pii.CheckLevel(entity, level); err != nil {
					add(key+".level", "%s", inlet.ErrorMessage(err))
				}
			}
		}
		if t, ok := have[name]; ok && (mode == inlet.ModeAppend || mode == inlet.ModeUpsert) && typ != "" && !typ.FitsInto(t) {
			add(key+".type", "%s is %s in the table but %s in the file: choose %s (values that do not fit follow the on_error choice), rename the column, or overwrite the table",
				name, t, typ, t)
		}
	}
	if mode == inlet.ModeUpsert {
		switch {
		case len(spec.Keys) == 0:
			add("keys", "an upsert needs its merge key: the column or columns that identify a row (an id, or order and line)")
		default:
			seen := map[string]bool{}
			for _, k := range spec.Keys {
				_, inFile := used[k]
				_, inTable := have[k]
				switch {
				case seen[k]:
					add("keys", "the merge key names %s twice", k)
				case !inFile:
					add("keys", "the merge key %s is not a column the file writes (names are the table's: after renames, and not dropped)", k)
				case existing != nil && !inTable:
					add("keys", "the merge key %s is not a column of %s", k, spec.Table)
				}
				seen[k] = true
			}
		}
	} else if len(spec.Keys) > 0 {
		add("keys", "a merge key is for mode upsert only (mode is %s)", mode)
	}
	if kept == 0 && len(ins.Columns) > 0 {
		add("columns", "every column is dropped: nothing to write")
	}
	if len(fields) == 0 {
		return nil
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msg := fields[keys[0]]
	if len(keys) > 1 {
		all := make([]string, len(keys))
		for i, k := range keys {
			all[i] = fields[k]
		}
		msg = fmt.Sprintf("%d problems with the ingest settings: %s", len(keys), strings.Join(all, "; "))
	}
	code := inlet.EINVALID
	if len(keys) == 1 && keys[0] == "table" && existing != nil && mode == inlet.ModeCreate {
		code = inlet.ECONFLICT // as a create into an existing table always was
	}
	return &inlet.Error{Code: code, Message: msg, Fields: fields}
}

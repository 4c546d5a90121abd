package query

import (
	"context"
	"slices"

	inlet "github.com/inlet-data/inlet"
)

// MaxChoices bounds the choices a parameter's query offers a form.
const MaxChoices = 1000

// Choices are a parameter's choices: its own, then the first column of its
// choices query (run through the engine and its guard, like any query),
// MaxChoices at most.
func Choices(ctx context.Context, engine inlet.Engine, tenant, user string, p Param) ([]string, error) {
	choices := slices.Clone(p.Choices)
	if p.ChoicesSQL == "" {
		return choices, nil
	}
	rows, err := engine.Query(ctx, inlet.Query{Tenant: tenant, User: user, SQL: p.ChoicesSQL})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for len(choices) < MaxChoices && rows.Next() {
		if v := rows.Values()[0]; v != nil {
			choices = append(choices, Text(v, rows.Columns()[0].Type))
		}
	}
	return choices, rows.Err()
}

// ResolveChoices returns params with the choices of each one that has a
// choices query and a value in values filled in from the query, so that
// Render refuses a value the form could not have offered: a choice
// parameter whose choices come from the data takes only those.
func ResolveChoices(ctx context.Context, engine inlet.Engine, tenant, user string, params []Param, values map[string][]string) ([]Param, error) {
	out := slices.Clone(params)
	for i, p := range out {
		if p.ChoicesSQL == "" || len(values[p.Name]) == 0 || (p.Type != ParamChoice && p.Type != ParamMulti) {
			continue
		}
		choices, err := Choices(ctx, engine, tenant, user, p)
		if err != nil {
			return nil, err
		}
		if len(choices) == 0 { // Render would take any value from an empty list
			msg := "its choices query lists no values to choose from"
			return nil, &inlet.Error{Code: inlet.EINVALID, Message: label(p) + ": " + msg, Fields: map[string]string{p.Name: msg}}
		}
		out[i].Choices, out[i].ChoicesSQL = choices, ""
	}
	return out, nil
}

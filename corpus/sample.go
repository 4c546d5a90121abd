package corpus

import (
	"encoding/json"
	"os"
)

// Expected is one file of the committed sample and what Inlet must make of
// it, with how that was checked: agreement with a reference (DuckDB for
// text, openpyxl for workbooks) or a person's verdict on a disagreement.
type Expected struct {
	File    string `json:"file"` // under corpus/sample
	Repo    string `json:"repo"`
	Commit  string `json:"commit"`
	Path    string `json:"path"`
	License string `json:"license"`
	Checked string `json:"checked"`
	Inlet   Result `json:"inlet"`
}

// ReadExpected reads the sample's expectations.
func ReadExpected(path string) ([]Expected, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Expected
	return out, json.Unmarshal(b, &out)
}

// Comparable is the part of a result the sample pins: everything but the
// warnings' wording.
func (r Result) Comparable() Result {
	r.Warnings = nil
	return r
}

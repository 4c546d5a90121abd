package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// TestStartupLeavesSubstraitRegistryAlone guards the patched iceberg-go in
// third_party: upstream builds substrait-go's extension registry at package
// init (539 000 allocations, 140–370 ms), which every command and every
// engine process paid before doing anything. Inlet never converts an
// expression to Substrait on its hot paths; the registry is built on first
// use (a table sample's scan) instead. Dropping the replace in go.mod, or a
// new iceberg-go that builds it eagerly again, fails here.
func TestStartupLeavesSubstraitRegistryAlone(t *testing.T) {
	cmd := exec.Command(os.Args[0], "version")
	cmd.Env = append(os.Environ(), "INLET_TEST_MAIN=1", "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("inlet version: %v\n%s", err, out)
	}
	re := regexp.MustCompile(`(?m)^init (\S+) @.*, (\d+) allocs$`)
	seen := 0
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		switch m[1] {
		case "github.com/apache/iceberg-go/table/substrait", "github.com/substrait-io/substrait-go/v8/extensions":
			seen++
			if n, _ := strconv.Atoi(m[2]); n > 1000 {
				t.Errorf("%s allocates %d times at init: is iceberg-go's lazy-registry patch (third_party/iceberg-go) still in use?", m[1], n)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("found %d of the 2 packages in the init trace:\n%s", seen, out)
	}
}

// Package osmtest makes OpenStreetMap test files: the PBF form of an XML
// fixture, converted with osmium-tool as a user would get one.
package osmtest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// PBF converts the OSM XML file src to PBF in a temporary folder with
// `osmium cat` and returns the new file's name. The test fails when
// osmium-tool is missing (.ci/run installs it).
func PBF(t testing.TB, src string) string {
	t.Helper()
	if _, err := exec.LookPath("osmium"); err != nil {
		t.Fatal("osmium-tool is needed to make the PBF fixture (apt-get install osmium-tool; .ci/run installs it)")
	}
	dst := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(src), ".osm")+".osm.pbf")
	if out, err := exec.Command("osmium", "cat", "--overwrite", src, "-o", dst).CombinedOutput(); err != nil {
		t.Fatalf("osmium cat %s: %v\n%s", src, err, out)
	}
	return dst
}

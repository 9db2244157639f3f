package layers

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// outside are design documents the project started from that live outside
// the repository; comments cite their condensed copies in docs/ instead.
var outside = regexp.MustCompile(`\b(DOMAIN|ARCHITECTURE|STYLE)\.md\b|\.\./shared/[A-Za-z]+\.md`)

// cited is a citation of a document in docs/.
var cited = regexp.MustCompile(`\bdocs/[a-z0-9-]+\.md\b`)

// TestCommentsCiteDocsInTheRepository: no Go file cites a design document
// outside the repository, and every docs/… file a Go file cites exists.
func TestCommentsCiteDocsInTheRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name, _ := filepath.Rel(root, path)
		if name == filepath.Join("internal", "layers", "cite_test.go") {
			return nil
		}
		n++
		for i, line := range strings.Split(string(b), "\n") {
			if m := outside.FindString(line); m != "" {
				t.Errorf("%s:%d cites %s, which is outside the repository: cite its summary in docs/", name, i+1, m)
			}
			for _, doc := range cited.FindAllString(line, -1) {
				if _, err := os.Stat(filepath.Join(root, doc)); err != nil {
					t.Errorf("%s:%d cites %s, which does not exist", name, i+1, doc)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("read %d Go files", n)
	}
}

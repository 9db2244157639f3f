package site

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStaticSearchAssetsCurrent rebuilds the static site's search as go
// generate does (wasm.go) and fails when the committed search.wasm or
// wasm_exec.js differs: a change to the search must ship in the browser too.
func TestStaticSearchAssetsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "search.wasm")
	build := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s", "-o", out, "../search/wasm")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the search for WebAssembly: %v\n%s", err, b)
	}
	same := func(committed, fresh string) {
		a, err := os.ReadFile(committed)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(fresh)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("site/%s is stale (%d bytes, the toolchain makes %d): run go generate ./site and commit it", committed, len(a), len(b))
		}
	}
	same("static/search/search.wasm", out)
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	same("static/vendor/wasm_exec.js", filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js"))
}

package main

import (
	"strings"
	"testing"
	"time"
)

// TestCommandsWhileServing runs the commands that open the search index
// while a real `wumen serve` process holds it: an import and a search open
// it read-only after the bounded wait, never rebuild it and never hang, and
// a rebuild (wumen index) and a second server on the same index refuse,
// saying why.
func TestCommandsWhileServing(t *testing.T) {
	db := seeded(t)
	srv := startServer(t, db)
	defer srv.stop(t)
	start := time.Now()
	code, _, errs := wumen(t, "import", "--db", db, batchFile(t, t.TempDir(), 9100, 3))
	if code != 0 || !strings.Contains(errs, "held by a running server") || strings.Contains(errs, "building") {
		t.Errorf("import while serving: exit %d, stderr %s", code, errs)
	}
	code, out, errs := wumen(t, "search", "--db", db, "shantang")
	if code != 0 || !strings.Contains(out, "山塘街") || strings.Contains(errs, "building") {
		t.Errorf("search while serving: exit %d, out %s, stderr %s", code, out, errs)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("import and search while serving took %s", took)
	}
	// The server follows the store: the imported places are found there.
	deadline := time.Now().Add(10 * time.Second)
	for !srv.found(t, testName(9100), 809100) {
		if time.Now().After(deadline) {
			t.Fatalf("the server's index did not pick up the import")
		}
		time.Sleep(100 * time.Millisecond)
	}
	code, _, errs = wumen(t, "index", "--db", db)
	if code == 0 || !strings.Contains(errs, "stop it to rebuild") {
		t.Errorf("wumen index while serving: exit %d, stderr %s", code, errs)
	}
	code, _, errs = wumen(t, "serve", "--quiet", "--db", db, "--addr", "127.0.0.1:0")
	if code == 0 || !strings.Contains(errs, "its own index") {
		t.Errorf("a second server on the same index: exit %d, stderr %s", code, errs)
	}
}

package postgres_test

import (
	"context"
	"testing"

	"wumen/data"
	"wumen/gazetteer/postgres/pgtest"
	"wumen/gazetteer/review"
	"wumen/gazetteer/review/reviewtest"
)

// TestConcurrentProposalEdits: officers' edits of one proposal never undo
// each other on PostgreSQL either (reviewtest.ConcurrentEdits).
func TestConcurrentProposalEdits(t *testing.T) {
	st := open(t, pgtest.URL(t))
	if _, err := st.Seed(context.Background(), data.FS, nil); err != nil {
		t.Fatal(err)
	}
	s, err := review.Open(st)
	if err != nil {
		t.Fatal(err)
	}
	reviewtest.ConcurrentEdits(t, s)
}

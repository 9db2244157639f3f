package gazetteer_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"

	"wumen/gazetteer"
)

// An audited write and its audit entry commit together: the entry sees the
// ids the write assigned, and when the entry cannot be written the write is
// rolled back.
func TestAuditCommitsWithTheWrite(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.DB().Exec(`CREATE TABLE audit_test (action TEXT, object TEXT)`); err != nil {
		t.Fatal(err)
	}
	p := &gazetteer.Place{Name: "吴门桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"}}
	actx := gazetteer.WithAudit(ctx, func() gazetteer.AuditEntry {
		return gazetteer.AuditEntry{Actor: "test", Action: "place.create", Object: "place " + strconv.FormatInt(p.ID, 10)}
	})
	if _, err := s.Put(actx, p, gazetteer.Change{Actor: "test"}); err == nil {
		t.Fatal("an audited write was committed with no audit log open")
	}
	if n, _ := s.Count(ctx, gazetteer.Filter{}); n != 0 {
		t.Fatalf("the refused write left %d places", n)
	}
	fail := false
	s.SetAuditLog(func(ctx context.Context, tx *sql.Tx, e gazetteer.AuditEntry) error {
		if fail {
			return errors.New("disk full")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_test VALUES (?,?)`, e.Action, e.Object)
		return err
	})
	if _, err := s.Put(actx, p, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	var object string
	if err := s.DB().QueryRow(`SELECT object FROM audit_test`).Scan(&object); err != nil || object != "place "+strconv.FormatInt(p.ID, 10) || p.ID == 0 {
		t.Errorf("audit entry %q (%v) for place %d", object, err, p.ID)
	}
	fail = true
	q := &gazetteer.Place{Name: "觅渡桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"}}
	if _, err := s.Put(actx, q, gazetteer.Change{Actor: "test"}); err == nil {
		t.Fatal("a write whose audit entry failed was committed")
	}
	if n, _ := s.Count(ctx, gazetteer.Filter{}); n != 1 {
		t.Errorf("%d places after a failed audit, want 1", n)
	}
	// An unaudited context writes no entry.
	fail = false
	if _, err := s.Put(ctx, q, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	var n int
	s.DB().QueryRow(`SELECT count(*) FROM audit_test`).Scan(&n)
	if n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
}

// An import whose context ends (SIGTERM) stops and writes nothing.
func TestPutAllStopsWhenCancelled(t *testing.T) {
	s := openTemp(t)
	in, err := gazetteer.ReadJSONL(strings.NewReader(fixture), "fixture.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err = s.PutAll(ctx, in, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{Progress: func(int) {
		if n++; n == 2 {
			cancel()
		}
	}})
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled import: %v", err)
	}
	if c, _ := s.Count(context.Background(), gazetteer.Filter{}); c != 0 {
		t.Errorf("a cancelled import left %d places", c)
	}
}

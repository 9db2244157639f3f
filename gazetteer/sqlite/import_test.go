package sqlite_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/storetest"
)

// TestBulkImport streams more records than the bulk-load threshold, so the
// secondary indexes are dropped and rebuilt inside the transaction: the
// records land with their names, admin rows and R*Tree entries, the indexes
// are all there afterwards, and a bulk import that fails on its last record
// leaves the store — indexes included — as it was.
func TestBulkImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 21,000 records (-short)")
	}
	const n = 21000
	ctx := context.Background()
	s := storetest.Open(t)
	indexes := func() string {
		rows, err := rawSQL(s).Query(`SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		return strings.Join(names, ",")
	}
	want := indexes()
	data := genRecords(n, 3)
	bad := append(append([]byte{}, data...), []byte(`{"id": 99999999, "name": "", "category": {"class": "非行政区域"}}`+"\n")...)
	_, err := s.Import(ctx, gazetteer.JSONLRecords(bytes.NewReader(bad), "bulk.jsonl", 0), gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{})
	if err == nil || !strings.Contains(err.Error(), "bulk.jsonl:21001: name: missing name") {
		t.Fatalf("err = %v", err)
	}
	if c, _ := s.Count(ctx, gazetteer.Filter{}); c != 0 || indexes() != want {
		t.Fatalf("a failed bulk import left %d places, indexes %s (want %s)", c, indexes(), want)
	}
	rep, err := s.Import(ctx, gazetteer.JSONLRecords(bytes.NewReader(data), "bulk.jsonl", 0), gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{})
	if err != nil || rep.Created != n {
		t.Fatalf("%v %+v", err, rep)
	}
	if got := indexes(); got != want {
		t.Errorf("indexes after a bulk import: %s, want %s", got, want)
	}
	var names, admin, rtree, revs int
	rawSQL(s).QueryRow(`SELECT (SELECT count(*) FROM place_names), (SELECT count(*) FROM place_admin), (SELECT count(*) FROM places_rtree), (SELECT count(*) FROM revisions)`).Scan(&names, &admin, &rtree, &revs)
	if names != n || admin != 2*n || rtree == 0 || rtree == n || revs != n {
		t.Errorf("names %d, admin %d, rtree %d, revisions %d for %d places", names, admin, rtree, revs, n)
	}
	p, err := s.Get(ctx, 20999)
	if err != nil || p.Pinyin == "" {
		t.Fatalf("%v %+v", err, p)
	}
	var id int64
	if err := rawSQL(s).QueryRow(`SELECT place_id FROM place_names WHERE text=? AND place_id=?`, p.Name, p.ID).Scan(&id); err != nil || id != p.ID {
		t.Errorf("name row of %d: %v", p.ID, err)
	}
	// Importing the same records again changes nothing.
	rep, err = s.Import(ctx, gazetteer.JSONLRecords(bytes.NewReader(data), "bulk.jsonl", 0), gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{})
	if err != nil || rep.Unchanged != n {
		t.Fatalf("re-import: %v %+v", err, rep.Created)
	}
}

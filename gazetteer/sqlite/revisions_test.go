package sqlite_test

import (
	"bytes"
	"context"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/gazetteer/storetest"
)

// A place's latest revision does not store its record a second time (it is
// the record in places), and gets it when the place is written again: the
// revisions read back, dumped for a copy to another store, chain each
// record after a change to the record before the next one, and end at the
// stored record.
func TestRevisionsChainToTheStoredRecord(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	const n = 1200 // a bulk load
	for seed := uint64(1); seed <= 3; seed++ {
		if _, err := s.Import(ctx, gazetteer.JSONLRecords(bytes.NewReader(genRecords(n, seed)), "r.jsonl", 0), gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Load(t, s, `{"id":7,"name":"枫桥","category":{"class":"交通运输设施"},"status":"current"}`)
	var empty int
	rawSQL(s).QueryRow(`SELECT count(*) FROM revisions WHERE after=''`).Scan(&empty)
	if empty != n {
		t.Errorf("%d revisions keep their record only in places, want %d (one a place)", empty, n)
	}
	dumped := map[int64][]string{} // place → its records after each revision, from the dump
	var spec gazetteer.TableSpec
	for _, ts := range gazetteer.StoreTables() {
		if ts.Name == "revisions" {
			spec = ts
		}
	}
	err := s.Backend().(*sqlite.DB).DumpTable(ctx, spec, func(row []any) error {
		id := row[1].(int64)
		dumped[id] = append(dumped[id], row[6].(string))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 7, 500, n} {
		revs, err := s.Revisions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var doc string
		rawSQL(s).QueryRow(`SELECT doc FROM places WHERE id=?`, id).Scan(&doc)
		if len(revs) < 2 || string(revs[len(revs)-1].After) != doc {
			t.Fatalf("place %d: %d revisions, the last not the stored record", id, len(revs))
		}
		for i, r := range revs {
			if string(r.After) == "" || string(r.After) != dumped[id][i] {
				t.Errorf("place %d, revision %d: after %.60q, dumped %.60q", id, i, r.After, dumped[id][i])
			}
			if i > 0 && string(revs[i-1].After) != string(r.Before) {
				t.Errorf("place %d, revision %d: before is not the previous revision's after", id, i)
			}
		}
	}
}

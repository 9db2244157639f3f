package gazetteer_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/storetest"
)

// TestPlacements positions village committees of the shipped dataset from an
// uploaded table: a table with a bad row writes nothing and names every bad
// row and column; a good one lands as revisions by the officer, and the
// places leave the awaiting list, which puts the most viewed first. The
// positions are test values (estimated, with their accuracy), not surveys.
func TestPlacements(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	storetest.Put(t, s, storetest.Records(t, "../data/admin.jsonl"))
	list, total, err := s.AwaitingPosition(ctx, gazetteer.AwaitingFilter{Admin: "320505004", Category: "村民委员会"})
	if err != nil || total < 2 || len(list) != total {
		t.Fatalf("awaiting: %v %d %v", err, total, list)
	}
	first, second := list[0], list[1]
	s.Version()
	time.Sleep(150 * time.Millisecond)
	v := s.Version()
	for i := 0; i < 3; i++ {
		s.Viewed(second.ID)
	}
	if err := s.FlushViews(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond) // past Version's poll interval
	if s.Version() != v {
		t.Error("counting page views changed the store's version (caches would be dropped)")
	}
	if list, _, _ = s.AwaitingPosition(ctx, gazetteer.AwaitingFilter{Admin: "320505004"}); list[0].ID != second.ID || list[0].Views != 3 {
		t.Errorf("most viewed first: %+v", list[:2])
	}
	bad := "id,code,lon,lat,accuracy,source,note\n" +
		strconv.FormatInt(first.ID, 10) + ",,120.40,31.30,500,test value,\n" +
		",320505004201,120°24′,31°18′,,test value,\n" +
		"99999999,,120.4,31.3,100,test value,\n" +
		",,120.4,95,100,test value,\n"
	if _, err := gazetteer.ReadPlacementsCSV(strings.NewReader(bad), "pos.csv"); err == nil ||
		!strings.Contains(err.Error(), "pos.csv: row 3: accuracy") || !strings.Contains(err.Error(), "pos.csv: row 5: lat") {
		t.Errorf("bad rows: %v", err)
	}
	ps, err := gazetteer.ReadPlacementsCSV(strings.NewReader("id,lon,lat,accuracy,source\n"+strconv.FormatInt(first.ID, 10)+",120.40,31.30,500,test value\n99999999,120.4,31.3,100,test value\n"), "pos.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPlacements(ctx, ps, gazetteer.Change{Actor: "officer1"}, false); err == nil || !strings.Contains(err.Error(), "pos.csv: row 3: id: no place 99999999") {
		t.Fatalf("unknown place: %v", err)
	}
	if p, _ := s.Get(ctx, first.ID); p.Geometry != nil {
		t.Fatal("a failed upload wrote a position")
	}
	ps, _ = gazetteer.ReadPlacementsCSV(strings.NewReader("id,lon,lat,accuracy,source,method,note\n"+strconv.FormatInt(first.ID, 10)+",120.40,31.30,500,test value,estimated,from the committee's address\n"), "pos.csv")
	if _, err := s.SetPlacements(ctx, ps, gazetteer.Change{Actor: "officer1", Reason: "positions upload"}, false); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Get(ctx, first.ID)
	if p.Geometry != (orb.Point{120.40, 31.30}) || p.Coord.Method != "estimated" || p.Coord.AccuracyM != 500 || p.Coord.Source != "test value" {
		t.Errorf("positioned: %+v %v", p.Coord, p.Geometry)
	}
	revs, _ := s.Revisions(ctx, first.ID)
	if last := revs[len(revs)-1]; last.Actor != "officer1" {
		t.Errorf("revision by %q", last.Actor)
	}
	if _, total2, _ := s.AwaitingPosition(ctx, gazetteer.AwaitingFilter{Admin: "320505004", Category: "村民委员会"}); total2 != total-1 {
		t.Errorf("awaiting after: %d, want %d", total2, total-1)
	}
}

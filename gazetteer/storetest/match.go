package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wumen/gazetteer"
)

// An import with MatchLinks updates the place carrying a record's OSM id,
// GeoNames id or statistical code, as the store holds it when the record's
// batch is written: a place whose link the same import changed is no longer
// matched by its old one, and places created earlier in the import are.
func testMatchLinksFollowsTheImport(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, Fixture)
	var in strings.Builder
	// Place 2 is given another OSM id.
	in.WriteString(`{"id":2,"name":"盘门","category":{"class":"建筑物","subclass":"城墙堡"},"status":"current","links":{"osm":"way/999"}}` + "\n")
	// More than a batch of new places (ids 6 …), the first also with a GeoNames id.
	const fill = 600
	for i := 1; i <= fill; i++ {
		geo := ""
		if i == 1 {
			geo = `,"geonames":1799962`
		}
		fmt.Fprintf(&in, `{"name":"丁香巷","category":{"class":"非行政区域"},"status":"current","links":{"osm":"node/%d"%s}}`+"\n", i, geo)
	}
	for _, l := range []string{
		`{"name":"盘门新","category":{"class":"建筑物"},"status":"current","links":{"osm":"way/685088107"}}`,     // place 2's old id: a new place
		`{"name":"报恩寺塔","category":{"class":"建筑物"},"status":"current","links":{"osm":"way/206076447"}}`,    // place 1
		`{"name":"卫道观前","category":{"class":"非行政区域"},"status":"current","links":{"osm":"node/5"}}`,         // place 10, made above
		`{"name":"大儒巷","category":{"class":"非行政区域"},"status":"current","links":{"geonames":1799962}}`,      // place 6, made above
		`{"name":"苏州市","category":{"class":"行政区域"},"status":"current","code":"3205","level":"prefecture"}`, // place 4
	} {
		in.WriteString(l + "\n")
	}
	recs, err := gazetteer.ReadJSONL(strings.NewReader(in.String()), "match.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.PutAll(ctx, recs, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{MatchLinks: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != fill+1 || rep.Updated != 5 {
		t.Errorf("created %d, updated %d; want %d and 5", rep.Created, rep.Updated, fill+1)
	}
	for id, want := range map[int64]string{1: "报恩寺塔", 2: "盘门", 4: "苏州市", 6: "大儒巷", 10: "卫道观前", 11: "丁香巷", 5 + fill + 1: "盘门新"} {
		p, err := s.Get(ctx, id)
		if err != nil {
			t.Errorf("place %d: %v", id, err)
			continue
		}
		if p.Name != want {
			t.Errorf("place %d is %s, want %s", id, p.Name, want)
		}
	}
	if p, _ := s.Get(ctx, 6); p != nil && p.Links.OSM != "" {
		t.Errorf("place 6 kept OSM id %q after an update without one", p.Links.OSM)
	}
}

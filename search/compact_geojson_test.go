package search

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// TestFeatureCollectionJSONSameAsOrb holds the browser's GeoJSON writer to
// the server's (orb's geojson package) byte for byte, on the answers of
// every relevance query with facets and the extra members the browser
// adds, and on a hit without a point.
func TestFeatureCollectionJSONSameAsOrb(t *testing.T) {
	cx := compactIndex(t)
	queries, _ := sameQueries(t)
	n := 0
	for _, q := range queries {
		q.Facets = true
		res, err := cx.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("%q: %v", q.Text, err)
		}
		hits := res.Hits
		if len(hits) > 0 {
			h := hits[0]
			h.Point = nil // a null geometry, as for a place without a point
			hits = append(hits, h)
		}
		extra := map[string]any{"total": res.Total, "attribution": "a © b <c>"}
		if res.Facets != nil {
			extra["facets"] = res.Facets
		}
		fc := cx.FeatureCollection(hits, nil)
		fc.ExtraMembers = extra
		want, err := json.Marshal(fc)
		if err != nil {
			t.Fatal(err)
		}
		got, err := cx.FeatureCollectionJSON(hits, nil, extra, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: the browser writes\n%s\nthe server\n%s", q.Text, got, want)
		}
		n += len(hits)
	}
	if n < 500 {
		t.Fatalf("only %d hits compared", n)
	}
}

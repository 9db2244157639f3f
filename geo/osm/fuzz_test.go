package osm

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// FuzzRead: any bytes read as OSM XML or Overpass JSON give objects (with
// their geometry or the reason there is none) or an error, never a panic
// or a hang. CI runs it briefly (.ci/run).
func FuzzRead(f *testing.F) {
	raw, err := os.ReadFile("testdata/oldcity.osm")
	if err != nil {
		f.Fatal(err)
	}
	broken, _ := os.ReadFile("testdata/broken.osm")
	f.Add(raw, false)
	f.Add(broken, false)
	f.Add([]byte(`{"elements":[{"type":"node","id":1,"lat":31.3,"lon":120.6,"tags":{"name":"桥"}},`+
		`{"type":"way","id":2,"nodes":[1,1],"geometry":[{"lat":31.3,"lon":120.6},{"lat":31.31,"lon":120.61}],"tags":{"highway":"residential"}},`+
		`{"type":"relation","id":3,"members":[{"type":"way","ref":2,"role":"outer"}],"tags":{"type":"multipolygon"}}]}`), true)
	f.Add([]byte(`<osm><node id="1" lat="91" lon="200"/><way id="2"><nd ref="9"/></way></osm>`), false)
	f.Fuzz(func(t *testing.T, b []byte, overpass bool) {
		format := XML
		if overpass {
			format = Overpass
		}
		rd := &Reader{TempDir: t.TempDir(), Procs: 1}
		rd.Read(context.Background(), bytes.NewReader(b), format, func(o *Object) error {
			if o.Err == nil && o.Geometry == nil && o.Type != "relation" {
				t.Fatalf("%s %d has neither a geometry nor a reason", o.Type, o.ID)
			}
			return nil
		})
	})
}

package shp

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzOpen: any bytes as a layer's .shp, .shx and .dbf give features, a
// FeatureError naming the feature, or an error at Open — never a panic, a
// hang or an allocation the file's size does not justify. Seeded with
// layers of every kind this package writes. CI runs it briefly (.ci/run).
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	fields := []Field{{Name: "name", Type: 'C', Length: 12}, {Name: "n", Type: 'N', Length: 4}}
	for i, g := range []orb.Geometry{
		orb.Point{120.6, 31.3},
		orb.MultiPoint{{120.1, 31.1}, {120.2, 31.2}},
		orb.MultiLineString{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}},
		orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}},
	} {
		kind, _ := KindOf(g)
		base := filepath.Join(dir, string(rune('a'+i)))
		w, err := Create(base, kind, fields, "")
		if err != nil {
			f.Fatal(err)
		}
		w.Write(g, []string{"山塘街", "1"})
		w.Write(nil, []string{"", ""})
		if err := w.Close(); err != nil {
			f.Fatal(err)
		}
		var parts [3][]byte
		for j, ext := range []string{".shp", ".shx", ".dbf"} {
			if parts[j], err = os.ReadFile(base + ext); err != nil {
				f.Fatal(err)
			}
		}
		f.Add(parts[0], parts[1], parts[2])
	}
	f.Fuzz(func(t *testing.T, shpB, shxB, dbfB []byte) {
		base := filepath.Join(t.TempDir(), "layer")
		for ext, b := range map[string][]byte{".shp": shpB, ".shx": shxB, ".dbf": dbfB} {
			if err := os.WriteFile(base+ext, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Open(base + ".shp")
		if err != nil {
			return
		}
		defer r.Close()
		for i := 0; i <= r.Len(); i++ {
			ft, err := r.Next()
			if err != nil || ft == nil {
				return
			}
			if len(ft.Attrs) != len(r.Fields) {
				t.Fatalf("feature %d: %d attributes for %d fields", i+1, len(ft.Attrs), len(r.Fields))
			}
		}
	})
}

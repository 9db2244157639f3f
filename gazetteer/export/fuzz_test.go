package export

import (
	"bytes"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/geo"
)

// fuzzReader feeds any bytes to an import reader: it must give records or
// an invalid-input error naming the file, never a panic.
func fuzzReader(f *testing.F, seeds []string, read func(b []byte) ([]gazetteer.Input, error)) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := read(b)
		if err != nil {
			if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), "f.") {
				t.Fatalf("error %q (code %v) does not name the file as invalid input", err, gazetteer.ErrorCode(err))
			}
			return
		}
		for _, r := range in {
			if r.Place == nil || r.Where == "" {
				t.Fatalf("a record without its place or where: %+v", r)
			}
		}
	})
}

// FuzzReadKML: KML from any tool, or none. CI runs it briefly (.ci/run).
func FuzzReadKML(f *testing.F) {
	fuzzReader(f, []string{
		`<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>桥</name><ExtendedData><Data name="class"><value>交通运输设施</value></Data></ExtendedData><Point><coordinates>120.6,31.3</coordinates></Point></Placemark></Document></kml>`,
		`<kml><Placemark><MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon><LineString><coordinates>0,0</coordinates></LineString></MultiGeometry></Placemark></kml>`,
		`<kml><Placemark><ExtendedData><record xmlns="urn:wumen:record:1">{"id":1,"names":[1]}</record></ExtendedData></Placemark></kml>`,
	}, func(b []byte) ([]gazetteer.Input, error) { return ReadKML(bytes.NewReader(b), "f.kml", geo.WGS84) })
}

// FuzzReadLPTSV: LP-TSV rows of any shape.
func FuzzReadLPTSV(f *testing.F) {
	fuzzReader(f, []string{
		"id\ttitle\ttitle_source\tvariants\tlon\tlat\tgeowkt\n51\t山塘街\tWumen\tShāntáng Jiē@zh-Latn;七里山塘@zh\t120.6\t31.3\t\n",
		"id\ttitle\n1\tx\n\"2\t\"y\n", "id\ttitle\tgeowkt\n1\tx\tPOLYGON((0 0,1 1,1 0,0 1,0 0))\n",
	}, func(b []byte) ([]gazetteer.Input, error) { return ReadLPTSV(bytes.NewReader(b), "f.tsv", geo.WGS84) })
}

// FuzzReadLPF: Linked Places FeatureCollections of any shape.
func FuzzReadLPF(f *testing.F) {
	fuzzReader(f, []string{
		`{"type":"FeatureCollection","features":[{"@id":"urn:wumen:place:51","type":"Feature","properties":{"title":"山塘街"},"names":[{"toponym":"山塘街","citations":[{"label":"x"}]}],"geometry":{"type":"Point","coordinates":[120.6,31.3]}}]}`,
		`{"type":"FeatureCollection","features":[{}]}`, `{"features":3}`,
	}, func(b []byte) ([]gazetteer.Input, error) { return ReadLPF(bytes.NewReader(b), "f.jsonld", geo.WGS84) })
}

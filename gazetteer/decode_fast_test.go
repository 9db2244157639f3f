package gazetteer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// decodeSlow is decodeRecord without the fast decoder: encoding/json alone.
func decodeSlow(b []byte) (*Place, string, error) {
	p := new(Place)
	crs, err := decodeStrict(json.NewDecoder(bytes.NewReader(b)), p)
	return p, crs, err
}

// fastCases are records on which the two decoders could part: member names
// in another case, duplicate members, texts as strings and objects, unknown
// members at depth, trailing data, null, out-of-range numbers.
var fastCases = []string{
	`{"id":1,"name":"山塘街","category":{"class":"交通运输设施","subclass":"街巷"},"status":"current"}`,
	`{"ID":2,"Name":"阊门","CATEGORY":{"Class":"交通运输设施"}}`,
	`{"id":3,"name":"甲","name":"乙"}`,
	`{"id":4,"meaning":"因山得名","history":{"text":"宋代已有","source":"志"}}`,
	`{"id":5,"history":{"text":"x","sourse":"志"}}`,
	`{"id":6,"names":[{"text":"阊阖门","kind":"historical","start":"514 BCE","colour":1}]}`,
	`{"id":7} trailing`,
	`null`,
	`{"id":1e400}`,
	`{"id":8.5}`,
	`{"id":"9"}`,
	`{"id":10,"geometry":{"type":"Polygon","coordinates":[[[120.6,31.3],[120.7,31.3],[120.7,31.4],[120.6,31.3]]]},"label":[120.65,31.32]}`,
	`{"id":11,"geometry":{"type":"Point","coordinates":[120.6,31.3],"bbox":[1,2,3,4]}}`,
	`{"id":12,"extra":{"nbs":{"code":"320508","n":3,"list":[1,"a",null,true]}},"links":{"osm":"node/1"}}`,
	`{"id":13,"wumen_crs":"gcj02","geometry":{"type":"Point","coordinates":[120.6,31.3]}}`,
	`{"id":14,"rank":0.5,"joined":true,"admin":["3205"],"heritage":[{"list":"江苏省历史文化街区","level":"省级","year":2015}]}`,
	`{"id":15,"coord":{"method":"estimated","accuracy_m":500,"note":"n"},"sources":[{"id":"nbs2023"}]}`,
	`{"id":16,"status":null,"names":null,"admin":[null]}`,
	`{"id":17,"admin":"3205"}`,
	`[]`, `{`, `{"id":18,}`, `"str"`,
}

// TestDecodeFastAgrees: every record of the shipped data and every case
// above decodes to the same place and CRS through decodeRecord (the fast
// decoder first) as through encoding/json alone, and fails where it fails.
func TestDecodeFastAgrees(t *testing.T) {
	lines := fastCases
	files, _ := filepath.Glob("../data/*.jsonl")
	if len(files) == 0 {
		t.Fatal("no shipped data found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.Split(b, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines = append(lines, string(l))
			}
		}
	}
	fast := 0
	for _, l := range lines {
		checkDecodeAgrees(t, []byte(l))
		if decodeFast([]byte(l), new(placeJSON)) {
			fast++
		}
	}
	if fast < len(lines)-len(fastCases) {
		t.Fatalf("only %d of %d records took the fast decoder", fast, len(lines))
	}
}

func checkDecodeAgrees(t *testing.T, b []byte) {
	t.Helper()
	p1, crs1, err1 := decodeRecord(b)
	p2, crs2, err2 := decodeSlow(b)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: decodeRecord error %v, encoding/json error %v", b, err1, err2)
	}
	if err1 != nil {
		return
	}
	if crs1 != crs2 || !reflect.DeepEqual(p1, p2) {
		t.Fatalf("%s: decoders differ:\n%+v %q\n%+v %q", b, p1, crs1, p2, crs2)
	}
}

// FuzzDecodeFastAgrees: on any bytes, decodeRecord and encoding/json agree
// (the same place, or both refuse).
func FuzzDecodeFastAgrees(f *testing.F) {
	for _, s := range fastCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !utf8.Valid(b) {
			return
		}
		checkDecodeAgrees(t, b)
	})
}

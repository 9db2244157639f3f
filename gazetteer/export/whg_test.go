package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
)

var (
	shippedOnce  sync.Once
	shippedStore *gazetteer.Store
)

// shipped returns a store holding the whole shipped dataset (seeded once).
func shipped(t *testing.T) *gazetteer.Store {
	t.Helper()
	shippedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wumen-export-shipped")
		if err != nil {
			t.Fatal(err)
		}
		if shippedStore, err = sqlite.Open(dir + "/w.db"); err != nil {
			t.Fatal(err)
		}
		if _, err := shippedStore.Seed(context.Background(), data.FS, nil); err != nil {
			t.Fatal(err)
		}
	})
	if shippedStore == nil {
		t.Fatal("no shipped store")
	}
	return shippedStore
}

// compileSchema compiles a vendored WHG schema (testdata/whg/SOURCES.md).
func compileSchema(t *testing.T, file string, doc any) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(file)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readJSON(t *testing.T, file string) any {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestLPFValidAgainstWHGSchema exports the whole shipped dataset as Linked
// Places and validates every feature against the schema the World
// Historical Gazetteer's upload validator uses, as that validator does (one
// feature at a time).
func TestLPFValidAgainstWHGSchema(t *testing.T) {
	s := shipped(t)
	schema := compileSchema(t, "https://whgazetteer.org/schema_lpf_v1.2.json", readJSON(t, "testdata/whg/schema_lpf_v1.2.json"))
	var buf bytes.Buffer
	n, err := WriteLPF(context.Background(), s, &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	feats := doc.(map[string]any)["features"].([]any)
	if len(feats) != n || n < 2000 {
		t.Fatalf("%d features for %d places", len(feats), n)
	}
	bad := 0
	for i, f := range feats {
		if err := schema.Validate(f); err != nil {
			if bad++; bad <= 5 {
				t.Errorf("feature %d (%v): %v", i, f.(map[string]any)["@id"], err)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d features fail the WHG schema", bad, n)
	}
}

// TestLPTSVValidAgainstWHGSchema checks every LP-TSV row of the shipped
// dataset against WHG's Table Schema for LP-TSV, its constraints written as
// a JSON Schema one column at a time (required, pattern — matched whole, as
// Frictionless does —, numbers in range, URI format, unique id), and the
// attestation dates against the names' own dates.
func TestLPTSVValidAgainstWHGSchema(t *testing.T) {
	s := shipped(t)
	var table struct {
		Fields []struct {
			Name        string         `json:"name"`
			Type        string         `json:"type"`
			Format      string         `json:"format"`
			Constraints map[string]any `json:"constraints"`
		} `json:"fields"`
		MissingValues []string `json:"missingValues"`
	}
	b, err := os.ReadFile("testdata/whg/schema_tsv.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &table); err != nil {
		t.Fatal(err)
	}
	props, types := map[string]any{}, map[string]string{}
	var required []any
	for _, f := range table.Fields {
		p := map[string]any{}
		types[f.Name] = f.Type
		if f.Type == "number" {
			p["type"] = "number"
		} else {
			p["type"] = "string"
		}
		if f.Format == "uri" {
			p["format"] = "uri"
		}
		for k, v := range f.Constraints {
			switch k {
			case "required":
				required = append(required, f.Name)
			case "pattern":
				p["pattern"] = "^(?:" + v.(string) + ")$"
			case "minimum", "maximum":
				p[k] = v
			}
		}
		props[f.Name] = p
	}
	schema := compileSchema(t, "https://whgazetteer.org/schema_tsv.json", map[string]any{"type": "object", "properties": props, "required": required})

	var buf bytes.Buffer
	n, err := WriteLPTSV(context.Background(), s, &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != n {
		t.Fatalf("%d rows for %d places", len(rows)-1, n)
	}
	head := rows[0]
	missing := map[string]bool{}
	for _, m := range table.MissingValues {
		missing[m] = true
	}
	ids := map[string]bool{}
	bad, untyped := 0, 0
	for i, row := range rows[1:] {
		obj := map[string]any{}
		for j, v := range row {
			if j >= len(head) || missing[v] {
				continue
			}
			if types[head[j]] == "number" {
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Errorf("row %d: %s %q is not a number", i+2, head[j], v)
					continue
				}
				obj[head[j]] = x
			} else {
				obj[head[j]] = v
			}
		}
		if err := schema.Validate(obj); err != nil {
			if bad++; bad <= 5 {
				t.Errorf("row %d: %v", i+2, err)
			}
		}
		id := fmt.Sprint(obj["id"])
		if ids[id] {
			t.Errorf("row %d: id %s is not unique", i+2, id)
		}
		ids[id] = true
		if obj["types"] == nil && obj["aat_types"] == nil {
			untyped++
		}
		if st, ok := obj["start"].(string); ok && strings.HasPrefix(st, "2026") {
			t.Errorf("row %d: start %s is the export year, not an attestation", i+2, st)
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d rows fail the WHG table schema", bad, n)
	}
	if untyped > 0 {
		t.Errorf("%d of %d rows have no place type", untyped, n)
	}
}

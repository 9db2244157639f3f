package data

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"testing"
)

var placeFiles = []string{"heritage.jsonl", "culture.jsonl", "admin.jsonl"}

// lines reads a JSONL file of FS into generic maps.
func lines(t *testing.T, name string) []map[string]any {
	t.Helper()
	f, err := FS.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	n := 0
	for sc.Scan() {
		n++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func id(m map[string]any) int64 {
	v, _ := m["id"].(float64)
	return int64(v)
}

func categories(t *testing.T) map[string]map[string]bool {
	b, err := fs.ReadFile(FS, "categories.json")
	if err != nil {
		t.Fatal(err)
	}
	var cs []struct {
		Class      string   `json:"class"`
		Subclasses []string `json:"subclasses"`
	}
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, c := range cs {
		out[c.Class] = map[string]bool{"": true}
		for _, s := range c.Subclasses {
			out[c.Class][s] = true
		}
	}
	return out
}

func TestPlaces(t *testing.T) {
	cats := categories(t)
	seen := map[int64]string{}
	counts := map[string]int{}
	for _, name := range placeFiles {
		var prev int64 = -1
		for _, m := range lines(t, name) {
			i := id(m)
			if i <= 0 {
				t.Errorf("%s: record without a positive id: %v", name, m["name"])
				continue
			}
			if i <= prev {
				t.Errorf("%s: id %d after %d: not sorted ascending", name, i, prev)
			}
			prev = i
			if other, dup := seen[i]; dup {
				t.Errorf("%s: id %d used twice (%s)", name, i, other)
			}
			seen[i] = name
			counts[name]++
			if s, _ := m["name"].(string); s == "" {
				t.Errorf("%s %d: no name", name, i)
			}
			cat, ok := m["category"].(map[string]any)
			if !ok {
				t.Errorf("%s %d: no category", name, i)
			} else {
				class, _ := cat["class"].(string)
				sub, _ := cat["subclass"].(string)
				if !cats[class][sub] {
					t.Errorf("%s %d: category %s/%s not in categories.json", name, i, class, sub)
				}
			}
			if g, ok := m["geometry"]; ok && g != nil {
				coord, _ := m["coord"].(map[string]any)
				if method, _ := coord["method"].(string); method == "" {
					t.Errorf("%s %d: geometry without coord.method", name, i)
				}
				if lic, _ := m["license"].(string); lic == "" {
					t.Errorf("%s %d: geometry without license", name, i)
				}
			}
			for _, k := range []string{"meaning", "history", "description"} {
				if txt, ok := m[k].(map[string]any); ok {
					if src, _ := txt["source"].(string); src == "" {
						t.Errorf("%s %d: %s without a source", name, i, k)
					}
				}
			}
			switch {
			case name == "heritage.jsonl" && (i < 1 || i > 999),
				name == "culture.jsonl" && (i < 1000 || i > 99999),
				name == "admin.jsonl" && i < 100000:
				t.Errorf("%s: id %d outside the file's range", name, i)
			}
		}
	}
	// Relations point at existing places.
	for _, name := range placeFiles {
		for _, m := range lines(t, name) {
			rels, _ := m["relations"].([]any)
			for _, r := range rels {
				rm, _ := r.(map[string]any)
				if tgt, _ := rm["target"].(float64); seen[int64(tgt)] == "" {
					t.Errorf("%s %d: relation to unknown id %v", name, id(m), rm["target"])
				}
			}
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if counts["admin.jsonl"] < 2300 {
		t.Errorf("admin: %d records, want ≥ 2,300", counts["admin.jsonl"])
	}
	if counts["culture.jsonl"] < 150 {
		t.Errorf("culture: %d records, want ≥ 150", counts["culture.jsonl"])
	}
	if total < 2400 {
		t.Errorf("total: %d records, want ≥ 2,400", total)
	}

	for _, w := range lines(t, "walks.jsonl") {
		stops, _ := w["stops"].([]any)
		if len(stops) < 2 {
			t.Errorf("walk %v: %d stops", w["id"], len(stops))
		}
		for _, s := range stops {
			sm, _ := s.(map[string]any)
			if p, _ := sm["place"].(float64); seen[int64(p)] == "" {
				t.Errorf("walk %v: stop at unknown place %v", w["id"], sm["place"])
			}
		}
	}
}

func TestWalks(t *testing.T) {
	ws := lines(t, "walks.jsonl")
	if len(ws) < 5 {
		t.Errorf("%d walks, want ≥ 5", len(ws))
	}
	ids := map[string]bool{}
	for _, w := range ws {
		s, _ := w["id"].(string)
		if s == "" || ids[s] {
			t.Errorf("walk id %q empty or repeated", s)
		}
		ids[s] = true
		for _, k := range []string{"title", "title_en", "summary", "summary_en", "source"} {
			if v, _ := w[k].(string); v == "" {
				t.Errorf("walk %s: empty %s", s, k)
			}
		}
	}
}

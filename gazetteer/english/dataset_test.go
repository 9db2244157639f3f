package english

import (
	"bufio"
	"encoding/json"
	"testing"

	"wumen/data"
	"wumen/gazetteer"
)

// TestDataset checks the shipped dataset the way a visitor meets it: every
// place on a heritage list or a walk has an established English name with
// its citation, or a GB/T 30240 description with a translated generic.
func TestDataset(t *testing.T) {
	places := map[int64]*gazetteer.Place{}
	for _, name := range []string{"heritage.jsonl", "culture.jsonl"} {
		f, err := data.FS.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			p := new(gazetteer.Place)
			if err := json.Unmarshal(sc.Bytes(), p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			places[p.ID] = p
		}
		f.Close()
	}
	walked := map[int64]bool{}
	f, err := data.FS.Open("walks.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var w struct {
			Stops []struct {
				Place int64 `json:"place"`
			} `json:"stops"`
		}
		if err := json.Unmarshal(sc.Bytes(), &w); err != nil {
			t.Fatal(err)
		}
		for _, s := range w.Stops {
			walked[s.Place] = true
		}
	}
	named, described := 0, 0
	for id, p := range places {
		if len(p.Heritage) == 0 && !walked[id] {
			continue
		}
		if n, ok := Name(p); ok {
			named++
			if n.Citation == "" || n.Script != gazetteer.ScriptLatin || (n.Kind != gazetteer.KindOfficial && n.Kind != gazetteer.KindConventional) {
				t.Errorf("%d %s: English name %+v lacks a citation, the Latin script or its kind", id, p.Name, n)
			}
			continue
		}
		if Default().Word(p) == "" {
			t.Errorf("%d %s (%s): neither an English name nor a GB/T 30240 word for its generic %q", id, p.Name, p.Category.Subclass, p.Generic)
		}
		described++
	}
	// The nine gardens of the UNESCO inscription carry its names.
	for id, want := range map[int64]string{1000: "Humble Administrator's Garden", 1004: "Canglang Pavilion", 1008: "Retreat & Reflection Garden"} {
		if n, ok := Name(places[id]); !ok || n.Text != want || n.Kind != gazetteer.KindOfficial {
			t.Errorf("%d: English name %+v, want the official %q", id, n, want)
		}
	}
	if named < 15 || described < 40 {
		t.Errorf("%d heritage or walk places named, %d described: fewer than expected", named, described)
	}
	t.Logf("heritage and walk places: %d with an English name, %d described by GB/T 30240", named, described)
}

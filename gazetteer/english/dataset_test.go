package english

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"wumen/data"
	"wumen/gazetteer"
)

// coverage counts, for a group of places, how many a visitor reads by an
// established English name and how many by a GB/T 30240 description.
type coverage struct{ places, named, described int }

func (c *coverage) add(named bool) {
	c.places++
	if named {
		c.named++
	} else {
		c.described++
	}
}

// TestDataset checks the shipped dataset the way a visitor meets it: every
// place on a heritage list or a walk has an established English name with
// its kind, the Latin script and a citation, or a GB/T 30240 description
// with a translated generic; and data/README.md states the counts as they
// are.
func TestDataset(t *testing.T) {
	places := shippedPlaces(t)
	walked := walkStops(t)
	var heritage, walks, all coverage
	for id, p := range places {
		if len(p.Heritage) == 0 && !walked[id] {
			continue
		}
		n, named := Name(p)
		switch {
		case named && (n.Citation == "" || n.Script != gazetteer.ScriptLatin || (n.Kind != gazetteer.KindOfficial && n.Kind != gazetteer.KindConventional)):
			t.Errorf("%d %s: English name %+v lacks a citation, the Latin script or its kind", id, p.Name, n)
		case named && !strings.Contains(n.Citation, ".") && !strings.Contains(n.Citation, "UNESCO"):
			t.Errorf("%d %s: the citation of %q names no page of its publisher: %q", id, p.Name, n.Text, n.Citation)
		case !named && (Default().Word(p) == "" || Toneless(p) == ""):
			t.Errorf("%d %s (%s): neither an English name nor a GB/T 30240 description (generic %q)", id, p.Name, p.Category.Subclass, p.Generic)
		}
		all.add(named)
		if len(p.Heritage) > 0 {
			heritage.add(named)
		}
		if walked[id] {
			walks.add(named)
		}
	}
	// The nine gardens of the UNESCO inscription carry its names.
	for id, want := range map[int64]string{1000: "Humble Administrator's Garden", 1004: "Canglang Pavilion", 1008: "Retreat & Reflection Garden"} {
		if n, ok := Name(places[id]); !ok || n.Text != want || n.Kind != gazetteer.KindOfficial {
			t.Errorf("%d: English name %+v, want the official %q", id, n, want)
		}
	}
	got := fmt.Sprintf("Of the %d places on a heritage list or a walk (%d heritage-listed, %d on a walk), %d have an established English name (%d of the heritage-listed, %d of the walk places) and %d a GB/T 30240 description",
		all.places, heritage.places, walks.places, all.named, heritage.named, walks.named, all.described)
	t.Log(got)
	readme, err := os.ReadFile("../../data/README.md")
	if err != nil {
		t.Fatal(err)
	}
	if flat := regexp.MustCompile(`\s+`).ReplaceAllString(string(readme), " "); !strings.Contains(flat, got) {
		t.Errorf("data/README.md does not state the English coverage as it is; it should say:\n%s", got)
	}
}

// shippedPlaces reads the curated places (heritage and culture) of the
// embedded dataset.
func shippedPlaces(t *testing.T) map[int64]*gazetteer.Place {
	t.Helper()
	places := map[int64]*gazetteer.Place{}
	for _, name := range []string{"heritage.jsonl", "culture.jsonl"} {
		f, err := data.FS.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for line := 1; sc.Scan(); line++ {
			p := new(gazetteer.Place)
			if err := json.Unmarshal(sc.Bytes(), p); err != nil {
				t.Fatalf("%s:%d: %v", name, line, err)
			}
			places[p.ID] = p
		}
		f.Close()
	}
	return places
}

// walkStops is the set of place ids that are a stop of a shipped walk.
func walkStops(t *testing.T) map[int64]bool {
	t.Helper()
	f, err := data.FS.Open("walks.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	walked := map[int64]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		var w struct {
			Stops []struct {
				Place int64 `json:"place"`
			} `json:"stops"`
		}
		if err := json.Unmarshal(sc.Bytes(), &w); err != nil {
			t.Fatalf("walks.jsonl:%d: %v", line, err)
		}
		for _, s := range w.Stops {
			walked[s.Place] = true
		}
	}
	return walked
}

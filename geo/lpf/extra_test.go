package lpf

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExtraMembersRoundTrip: a producer's own members of properties,
// names, relations and descriptions are written inline beside the
// format's and read back into Extra; the format's members stay out of it.
func TestExtraMembersRoundTrip(t *testing.T) {
	e := Extra{}
	e.Set("wumen_license", "ODbL-1.0")
	e.Set("wumen_rank", 0.0) // a zero value is left out
	ne := Extra{}
	ne.Set("wumen_kind", "historical")
	f := Feature{ID: "urn:x:1", Type: "Feature", Properties: Properties{Title: "阊门", CCodes: []string{"CN"}, Extra: e},
		Names:        []Name{{Toponym: "閶門", Lang: "zh-Hant", Extra: ne}},
		Relations:    []Relation{{RelationType: "gvp:broaderPartitive", RelationTo: "urn:x:2", Label: "part of", Extra: Extra{"wumen_admin": json.RawMessage(`"320508"`)}}},
		Descriptions: []Description{{Value: "城门", Extra: Extra{"wumen_text": json.RawMessage(`"history"`)}}}}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"properties":{"title":"阊门","ccodes":["CN"],"wumen_license":"ODbL-1.0"}`, `"lang":"zh-Hant","wumen_kind":"historical"}`,
		`"label":"part of","wumen_admin":"320508"}`, `{"value":"城门","wumen_text":"history"}`} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %s", s, want)
		}
	}
	if strings.Contains(s, "wumen_rank") {
		t.Errorf("zero rank written: %s", s)
	}
	var g Feature
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	var lic, kind, code, text string
	if ok, _ := g.Properties.Extra.Get("wumen_license", &lic); !ok || lic != "ODbL-1.0" || len(g.Properties.Extra) != 1 {
		t.Errorf("properties extra %v", g.Properties.Extra)
	}
	g.Names[0].Extra.Get("wumen_kind", &kind)
	g.Relations[0].Extra.Get("wumen_admin", &code)
	g.Descriptions[0].Extra.Get("wumen_text", &text)
	if kind != "historical" || code != "320508" || text != "history" || len(g.Names[0].Extra) != 1 {
		t.Errorf("read back: %q %q %q %v", kind, code, text, g.Names[0].Extra)
	}
}

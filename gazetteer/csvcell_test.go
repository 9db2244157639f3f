package gazetteer_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/geo"
)

// TestCSVListCellsRoundTrip writes awkward values into the list cells and
// reads them back unchanged: separators and backslashes inside values,
// spaces at the ends, empty dates between filled ones, traditional
// characters, a name in another language.
func TestCSVListCellsRoundTrip(t *testing.T) {
	names := []gazetteer.Name{
		{Text: "阊门", Kind: gazetteer.KindHistorical, Script: gazetteer.ScriptHans, Start: "1229", End: "1912", Citation: "《吴郡志》; 卷三"},
		{Text: "閶門", Kind: gazetteer.KindHistorical, Script: gazetteer.ScriptHant, End: "1912"},
		{Text: "A|B;C\\D", Kind: gazetteer.KindAlias},
		{Text: " 前后空格 ", Kind: gazetteer.KindColloquial, Citation: "ends in a backslash \\"},
		{Text: "Tiger Hill", Kind: gazetteer.KindConventional, Script: gazetteer.ScriptLatin, Lang: "en", Citation: `C:\refs\tiger.pdf`},
		{Text: "南宋 name", Kind: gazetteer.KindHistorical, Start: "南宋", End: "c. 1781"},
	}
	cell := gazetteer.FormatNames(names)
	got, err := gazetteer.ParseNames(cell)
	if err != nil || !reflect.DeepEqual(got, names) {
		t.Fatalf("names cell %q read back as %+v (%v), want %+v", cell, got, err, names)
	}
	if want := `阊门|historical|hans||1229|1912|《吴郡志》\; 卷三 ; 閶門|historical|hant|||1912`; !strings.HasPrefix(cell, want) {
		t.Errorf("names cell %q, want it to start %q", cell, want)
	}
	srcs := []gazetteer.Source{{ID: "ref", Title: "general reference; unverified"}, {ID: "osm", Title: "OSM | contributors", URL: "https://www.openstreetmap.org/copyright", License: "ODbL-1.0"}}
	if got, err := gazetteer.ParseSources(gazetteer.FormatSources(srcs)); err != nil || !reflect.DeepEqual(got, srcs) {
		t.Errorf("sources: %+v %v", got, err)
	}
	rels := []gazetteer.Relation{{Type: gazetteer.RelPartOf, Target: 100494}, {Type: gazetteer.RelCrosses, Target: 7, Note: "a;b"}}
	if got, err := gazetteer.ParseRelations(gazetteer.FormatRelations(rels)); err != nil || !reflect.DeepEqual(got, rels) {
		t.Errorf("relations: %+v %v", got, err)
	}
	evs := []gazetteer.Event{{Type: gazetteer.EventRenaming, Date: "2019-05-01", Document: "苏府地名函〔2019〕85号", From: "旧|名", To: "新名", Proposal: 12},
		{Type: gazetteer.EventAdjustEnds, Start: "起点", End: "止点", Note: "trailing space "}}
	if got, err := gazetteer.ParseEvents(gazetteer.FormatEvents(evs)); err != nil || !reflect.DeepEqual(got, evs) {
		t.Errorf("events: %+v %v", got, err)
	}
	her := []gazetteer.Heritage{{List: "世界遗产名录：苏州古典园林", Level: "world", Year: 1997}, {List: "江苏省地名文化遗产（古镇）", Note: "第二批"}}
	if got, err := gazetteer.ParseHeritage(gazetteer.FormatHeritage(her)); err != nil || !reflect.DeepEqual(got, her) {
		t.Errorf("heritage: %+v %v", got, err)
	}
}

// TestCSVListCellsByHand: cells as a person types them — no spaces around
// the separator, a name alone (an alias), a stray separator — and the
// errors for cells that cannot be read name the syntax.
func TestCSVListCellsByHand(t *testing.T) {
	got, err := gazetteer.ParseNames("姑苏;吴门|alias ;; 平江府|historical||zh|1113|1276;")
	want := []gazetteer.Name{{Text: "姑苏", Kind: "alias"}, {Text: "吴门", Kind: "alias"}, {Text: "平江府", Kind: "historical", Lang: "zh", Start: "1113", End: "1276"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("hand-typed names: %+v %v", got, err)
	}
	for _, c := range []struct {
		parse func(string) error
		cell  string
		says  string
	}{
		{func(s string) error { _, err := gazetteer.ParseNames(s); return err }, "a|b|c|d|e|f|g|h", "text|kind|script|lang|start|end|citation"},
		{func(s string) error { _, err := gazetteer.ParseNames(s); return err }, "|alias", "text first"},
		{func(s string) error { _, err := gazetteer.ParseRelations(s); return err }, "part_of|苏州", "not a Wumen id"},
		{func(s string) error { _, err := gazetteer.ParseHeritage(s); return err }, "名录|city|二〇二二", "not a number"},
		{func(s string) error { _, err := gazetteer.ParseHeritage(s); return err }, "江苏省地名文化遗产（古镇）|苏州市地名文化遗产", "separate listings with ;"},
	} {
		if err := c.parse(c.cell); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q: %v, want an error saying %q", c.cell, err, c.says)
		}
	}
}

// TestReadCSVRecordColumns: a CSV row with every record column reads into
// the fields CSVRow wrote them from.
func TestReadCSVRecordColumns(t *testing.T) {
	p := &gazetteer.Place{ID: 5, Name: "阊门", Category: gazetteer.Category{Class: "纪念地旅游景点", Subclass: "古城门"}, Status: gazetteer.StatusCurrent,
		Level: "township", Joined: true, Rank: 0.75, Links: gazetteer.Links{NBS: "320508"},
		Names:   []gazetteer.Name{{Text: "閶門", Kind: "historical", Script: "hant", End: "1912", Citation: "a; b"}},
		Meaning: &gazetteer.Text{Text: "含义", Source: "志", Verified: true, VerifiedBy: "officer 1"},
		History: &gazetteer.Text{Text: "沿革"}, Rel: []gazetteer.Relation{{Type: "part_of", Target: 1}},
		Events: []gazetteer.Event{{Type: "naming", Date: "1229"}}, Sources: []gazetteer.Source{{ID: "x", Title: "t|u"}},
		Extra: map[string]any{"note": "备注", "n": 2.5}}
	var b bytes.Buffer
	b.WriteString(strings.Join(gazetteer.CSVHeader, ",") + "\n")
	row := gazetteer.CSVRow(p, geo.WGS84)
	for i, c := range row {
		row[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	b.WriteString(strings.Join(row, ",") + "\n")
	in, err := gazetteer.ReadCSV(&b, "x.csv", geo.WGS84)
	if err != nil {
		t.Fatal(err)
	}
	q := in[0].Place
	for _, f := range []struct {
		name      string
		got, want any
	}{{"level", q.Level, p.Level}, {"joined", q.Joined, p.Joined}, {"rank", q.Rank, p.Rank}, {"nbs", q.Links.NBS, p.Links.NBS},
		{"names", q.Names, p.Names}, {"meaning", q.Meaning, p.Meaning}, {"history", q.History, p.History},
		{"relations", q.Rel, p.Rel}, {"events", q.Events, p.Events}, {"sources", q.Sources, p.Sources}, {"extra", q.Extra, p.Extra}} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s: %+v, want %+v", f.name, f.got, f.want)
		}
	}
}

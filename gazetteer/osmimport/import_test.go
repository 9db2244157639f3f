package osmimport

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/storetest"
	"wumen/geo/osm/osmtest"
)

const fixture = "../../geo/osm/testdata/oldcity.osm"

// mapping loads the shipped tag and name tables.
func mapping(t testing.TB) *Mapping {
	t.Helper()
	tags, err := data.FS.ReadFile("osm_tags.tsv")
	if err != nil {
		t.Fatal(err)
	}
	names, err := data.FS.ReadFile("osm_names.tsv")
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := data.FS.ReadFile("categories.json")
	cats, err := gazetteer.ParseCategories(cb)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseMapping(tags, "osm_tags.tsv", names, "osm_names.tsv", cats)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// seeded opens a store holding the shipped dataset.
func seeded(t testing.TB) *gazetteer.Store {
	t.Helper()
	return storetest.Shipped(t)
}

func revisions(t testing.TB, s *gazetteer.Store) int {
	t.Helper()
	n, err := s.LastRevision(context.Background()) // revisions are numbered from 1, without gaps
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

var change = gazetteer.Change{Actor: "test", Reason: "osm import"}

func importFile(t *testing.T, s *gazetteer.Store, imp *Importer, name string, dry bool) *Report {
	t.Helper()
	rep, err := imp.Import(context.Background(), s, name, change, dry)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func get(t *testing.T, s *gazetteer.Store, id int64) *gazetteer.Place {
	t.Helper()
	p, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func decision(list []Decision, osm string) *Decision {
	for i := range list {
		for _, r := range list[i].OSM {
			if r == osm {
				return &list[i]
			}
		}
	}
	return nil
}

func hasName(p *gazetteer.Place, text, kind, script string) bool {
	for _, n := range p.Names {
		if n.Text == text && n.Kind == kind && n.Script == script {
			return true
		}
	}
	return false
}

func TestImportOldCity(t *testing.T) {
	s := seeded(t)
	imp := &Importer{Mapping: mapping(t), AccuracyM: 30, TempDir: t.TempDir()}
	before := revisions(t, s)
	rep := importFile(t, s, imp, osmtest.PBF(t, fixture), false)
	if rep.Nodes != 47 || rep.Ways != 17 || rep.Relations != 2 {
		t.Errorf("read %d/%d/%d objects", rep.Nodes, rep.Ways, rep.Relations)
	}

	// A street split into three ways (one not sharing a node) becomes one
	// line on the existing place, which keeps its curated fields.
	street := get(t, s, 1400)
	if ls, ok := street.Geometry.(orb.LineString); !ok || len(ls) != 10 {
		t.Errorf("平江路 geometry %T %v, want one LineString of the three ways", street.Geometry, street.Geometry)
	}
	if street.History == nil || street.History.Text == "" || street.Category.Subclass != "道路街巷" {
		t.Error("平江路 lost its curated fields")
	}
	// 平江路 ships with its published English name Pingjiang Road; the OSM
	// name:en of the same text keeps it and adds no second copy.
	if !hasName(street, "Pingjiang Road", gazetteer.KindConventional, gazetteer.ScriptLatin) || countName(street, "Pingjiang Road") != 1 {
		t.Errorf("平江路 names %+v, want its English name once, kept as shipped", street.Names)
	}
	if street.Links.OSM != "node/5868785672" || street.Coord.Method != "osm" || street.License != License {
		t.Errorf("平江路 links %+v coord %+v license %s", street.Links, street.Coord, street.License)
	}
	if d := decision(rep.Matched, "way/2003"); d == nil || d.Place != 1400 || d.By != "name" || d.DistanceM == nil || *d.DistanceM > 50 {
		t.Errorf("平江路 decision %+v", d)
	}

	// A place without a position gets one, its old name is not repeated,
	// its English name is added.
	road := get(t, s, 1413)
	if _, ok := road.Geometry.(orb.LineString); !ok {
		t.Errorf("人民路 geometry %v", road.Geometry)
	}
	if n := countName(road, "护龙街"); n != 1 || !hasName(road, "Renmin Road", gazetteer.KindAlias, gazetteer.ScriptLatin) {
		t.Errorf("人民路 names %+v", road.Names)
	}
	bridge := get(t, s, 1508)
	if _, ok := bridge.Geometry.(orb.LineString); !ok || bridge.Links.OSM != "way/2301" || !hasName(bridge, "Midu Bridge", gazetteer.KindAlias, gazetteer.ScriptLatin) {
		t.Errorf("觅渡桥 %+v %+v", bridge.Geometry, bridge.Links)
	}
	// A canal matches the river of that name (same 大类), keeping its 子类.
	river := get(t, s, 1601)
	if _, ok := river.Geometry.(orb.LineString); !ok || river.Category.Subclass != "河流" {
		t.Errorf("平江河 %T %+v", river.Geometry, river.Category)
	}

	// The lake is a polygon with the island as its hole; the link it had
	// (a real OSM relation) is kept.
	lake := get(t, s, 1701)
	poly, ok := lake.Geometry.(orb.Polygon)
	if !ok || len(poly) != 2 || planar.PolygonContains(poly, orb.Point{120.6905, 31.3172}) {
		t.Errorf("金鸡湖 geometry %T, want a polygon with its island as a hole", lake.Geometry)
	}
	if !hasName(lake, "Jinji Lake", gazetteer.KindAlias, gazetteer.ScriptLatin) || lake.Links.OSM != "relation/6819705" {
		t.Errorf("金鸡湖 %+v %+v", lake.Names, lake.Links)
	}
	// The boundary relation gives the township its polygon, matched by its
	// statistical code.
	if d := decision(rep.Matched, "relation/3101"); d == nil || d.Place != 100510 || d.By != "code" {
		t.Errorf("平江街道 decision %+v", d)
	}
	if p := get(t, s, 100510); p.Geometry == nil || p.Geometry.GeoJSONType() != "Polygon" || p.Code != "320508018" {
		t.Errorf("平江街道 %v", p.Geometry)
	}

	// The unit's polygon drives containment (the store's Locator).
	loc, err := s.Locator().Locate(context.Background(), orb.Point{120.6300, 31.3190})
	if err != nil || loc.Method != gazetteer.LocateContains || !slices.Contains(loc.Codes(), "320508018") {
		t.Errorf("Locate in 平江街道: %+v %v", loc, err)
	}

	// New places carry names with kinds, the link and ODbL provenance.
	lane := decision(rep.New, "way/2401")
	if lane == nil || lane.Place == 0 {
		t.Fatalf("菉葭巷 decision %+v", lane)
	}
	p := get(t, s, lane.Place)
	if p.Name != "菉葭巷" || p.Category.Subclass != "道路街巷" || p.License != License || p.Links.OSM != "way/2401" ||
		p.Coord == nil || p.Coord.Method != "osm" || len(p.Sources) != 1 || p.Sources[0].ID != "osm" {
		t.Errorf("菉葭巷 %+v", p)
	}
	// Its admin parents come from the Locator (estimated from the old-city
	// places around it).
	if len(p.Admin) < 2 || p.Admin[0] != "3205" || p.Admin[1] != "320508" {
		t.Errorf("菉葭巷 admin %v, want 3205, 320508 …", p.Admin)
	}
	if !hasName(p, "绿葭巷", gazetteer.KindAlias, gazetteer.ScriptHans) || !hasName(p, "Lujia Lane", gazetteer.KindAlias, gazetteer.ScriptLatin) {
		t.Errorf("菉葭巷 names %+v", p.Names)
	}
	island := decision(rep.New, "way/2603")
	if island == nil || get(t, s, island.Place).Geometry.GeoJSONType() != "Polygon" || island.Category != "陆地地形/岛屿" {
		t.Errorf("桃花岛 %+v", island)
	}

	// Skips are counted by the tag that excluded them; named ones are
	// listed.
	if sk := skipped(rep, "way/2502"); sk == nil || sk.Tag != "building=yes" || sk.Name != "苏州平江客栈" {
		t.Errorf("way/2502 skipped as %+v, want building=yes", sk)
	}
	if skipped(rep, "way/2501") != nil || rep.SkippedBy["highway=footway"] != 1 || rep.SkippedBy["building=yes"] != 1 {
		t.Errorf("skips counted %v, listed %+v", rep.SkippedBy, rep.Skipped)
	}
	if len(rep.Broken) != 0 {
		t.Errorf("broken: %+v", rep.Broken)
	}
	if revisions(t, s) == before {
		t.Fatal("the import wrote no revisions")
	}

	// The same import again changes nothing: zero revisions.
	before = revisions(t, s)
	again := importFile(t, s, imp, fixture, false)
	if n := revisions(t, s) - before; n != 0 || again.Created != 0 || again.Updated != 0 || len(again.New) != 0 {
		t.Errorf("second import: %d revisions, %d created, %d updated, new %+v, outcomes %+v", n, again.Created, again.Updated, again.New, again.Outcomes)
	}
}

func countName(p *gazetteer.Place, text string) int {
	n := 0
	for _, x := range gazetteer.AllNames(p) {
		if x.Text == text {
			n++
		}
	}
	return n
}

func skipped(rep *Report, ref string) *Skipped {
	for i := range rep.Skipped {
		if rep.Skipped[i].Ref == ref {
			return &rep.Skipped[i]
		}
	}
	return nil
}

func TestImportDryRun(t *testing.T) {
	s := seeded(t)
	imp := &Importer{Mapping: mapping(t), AccuracyM: 30, TempDir: t.TempDir()}
	before := revisions(t, s)
	rep := importFile(t, s, imp, fixture, true)
	if revisions(t, s) != before || get(t, s, 1400).Geometry.GeoJSONType() != "Point" {
		t.Error("a dry run wrote")
	}
	if len(rep.New) == 0 || len(rep.Matched) == 0 || !rep.DryRun || rep.Created != len(rep.New) {
		t.Errorf("dry-run report: %d new, %d matched, %d created", len(rep.New), len(rep.Matched), rep.Created)
	}
}

func TestImportKeepsOfficerPosition(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	garden := get(t, s, 1005)
	// The shipped 狮子林 carries its UNESCO name Lion Grove Garden; without
	// it the OSM name:en is new, and must be added beside the kept position.
	garden.Names = slices.DeleteFunc(garden.Names, func(n gazetteer.Name) bool { return n.Text == "Lion Grove Garden" })
	garden.Coord = &gazetteer.Coord{Method: "surveyed", AccuracyM: 2, Source: "field survey 2026"}
	garden.Geometry = orb.Point{120.62470, 31.32340}
	garden.Label = nil
	if _, err := s.Put(ctx, garden, change); err != nil {
		t.Fatal(err)
	}
	imp := &Importer{Mapping: mapping(t), AccuracyM: 30, TempDir: t.TempDir()}
	rep := importFile(t, s, imp, fixture, false)
	got := get(t, s, 1005)
	if got.Geometry != (orb.Point{120.62470, 31.32340}) || got.Coord.Method != "surveyed" {
		t.Errorf("an officer's position was overwritten: %v %+v", got.Geometry, got.Coord)
	}
	if c := decision(rep.Conflicts, "node/901"); c == nil || !strings.Contains(c.Why, "set by an officer") {
		t.Errorf("conflict %+v", c)
	}
	if !hasName(got, "Lion Grove Garden", gazetteer.KindAlias, gazetteer.ScriptLatin) {
		t.Error("names not added beside the kept position")
	}
	imp.Overwrite = map[string]bool{FieldGeometry: true}
	importFile(t, s, imp, fixture, false)
	if got := get(t, s, 1005); got.Geometry != (orb.Point{120.62475, 31.32345}) || got.Coord.Method != "osm" {
		t.Errorf("--overwrite geometry: %v %+v", got.Geometry, got.Coord)
	}
}

func writeOSM(t *testing.T, body string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "x.osm")
	if err := os.WriteFile(name, []byte(`<?xml version="1.0"?><osm version="0.6">`+body+`</osm>`), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestImportAmbiguousAndFar(t *testing.T) {
	s := seeded(t)
	imp := &Importer{Mapping: mapping(t), AccuracyM: 30, TempDir: t.TempDir()}
	// Two 学士街 far apart, and the gazetteer's 学士街 (1403) has no
	// position: a conflict, nothing written. 十全街 (1402, an estimate) 20 km
	// away is another street: new, with the near miss noted.
	name := writeOSM(t, `
<node id="1" lat="31.30" lon="120.60"/><node id="2" lat="31.301" lon="120.60"/>
<node id="3" lat="31.50" lon="120.90"/><node id="4" lat="31.501" lon="120.90"/>
<node id="5" lat="31.45" lon="120.40"/><node id="6" lat="31.451" lon="120.40"/>
<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="学士街"/></way>
<way id="2"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="name" v="学士街"/></way>
<way id="3"><nd ref="5"/><nd ref="6"/><tag k="highway" v="residential"/><tag k="name" v="十全街"/></way>`)
	before := revisions(t, s)
	rep := importFile(t, s, imp, name, false)
	for _, ref := range []string{"way/1", "way/2"} {
		if c := decision(rep.Conflicts, ref); c == nil || !strings.Contains(c.Why, "no position") {
			t.Errorf("%s: %+v, want a conflict", ref, c)
		}
	}
	if get(t, s, 1403).Geometry != nil {
		t.Error("学士街 was given one of two candidates' geometry")
	}
	if d := decision(rep.New, "way/3"); d == nil || !strings.Contains(d.Note, "place 1402") {
		t.Errorf("十全街: %+v", d)
	}
	if n := revisions(t, s) - before; n != 1 {
		t.Errorf("%d revisions, want 1 (the new 十全街)", n)
	}
}

func TestImportBrokenRelations(t *testing.T) {
	s := seeded(t)
	imp := &Importer{Mapping: mapping(t), AccuracyM: 30, TempDir: t.TempDir()}
	rep := importFile(t, s, imp, "../../geo/osm/testdata/broken.osm", false)
	want := map[string]string{"relation/900": "relation 900: outer ring", "relation/901": "relation 901: member way 99"}
	if len(rep.Broken) != 2 {
		t.Fatalf("broken %+v", rep.Broken)
	}
	for _, b := range rep.Broken {
		if !strings.Contains(b.Error, want[b.Ref]) {
			t.Errorf("%s: %s", b.Ref, b.Error)
		}
	}
	if len(rep.New)+len(rep.Matched) != 0 {
		t.Errorf("a broken relation was imported: %+v %+v", rep.New, rep.Matched)
	}
}

func TestImportBoundaryByName(t *testing.T) {
	s := seeded(t)
	imp := &Importer{Mapping: mapping(t), AccuracyM: 30, TempDir: t.TempDir()}
	// A county boundary without a code tag conflates onto the unit of that
	// name (姑苏区, 100494), at any distance.
	name := writeOSM(t, `
<node id="1" lat="31.28" lon="120.57"/><node id="2" lat="31.28" lon="120.66"/>
<node id="3" lat="31.36" lon="120.66"/><node id="4" lat="31.36" lon="120.57"/>
<way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
<way id="2"><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
<relation id="5"><member type="way" ref="1" role="outer"/><member type="way" ref="2" role="outer"/>
<tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="6"/><tag k="name" v="姑苏区"/><tag k="name:en" v="Gusu District"/></relation>`)
	rep := importFile(t, s, imp, name, false)
	if d := decision(rep.Matched, "relation/5"); d == nil || d.Place != 100494 || d.By != "name" {
		t.Fatalf("姑苏区: %+v (new %+v, conflicts %+v)", d, rep.New, rep.Conflicts)
	}
	p := get(t, s, 100494)
	if p.Geometry == nil || p.Geometry.GeoJSONType() != "Polygon" || p.Code != "320508" || p.Category.Subclass != "市辖区" {
		t.Errorf("姑苏区 %v %+v", p.Geometry, p.Category)
	}
}

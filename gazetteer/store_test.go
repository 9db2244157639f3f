package gazetteer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/geo"
)

// Real points from OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0),
// as given in shared/data/suzhou/osm_heritage_places.csv.
const fixture = `{"id":1,"name":"北寺塔","category":{"class":"建筑物","subclass":"亭台碑塔"},"status":"current","admin":["3205","320508"],"coord":{"method":"osm","accuracy_m":100,"source":"osm"},"links":{"osm":"way/206076447"},"license":"ODbL-1.0","geometry":{"type":"Point","coordinates":[120.6154018,31.3245428]}}
{"id":2,"name":"盘门","category":{"class":"建筑物","subclass":"城墙堡"},"status":"current","admin":["3205","320508"],"heritage":[{"list":"苏州古城门","level":"city"}],"coord":{"method":"osm","accuracy_m":100,"source":"osm"},"links":{"osm":"way/685088107"},"license":"ODbL-1.0","geometry":{"type":"Point","coordinates":[120.6119542,31.2895554]}}
{"id":3,"name":"沧浪亭","category":{"class":"纪念地旅游景点","subclass":"公园风景区"},"status":"current","admin":["3205","320508"],"coord":{"method":"osm","accuracy_m":100,"source":"osm"},"links":{"osm":"way/492154541"},"license":"ODbL-1.0","geometry":{"type":"Point","coordinates":[120.6212804,31.2967053]}}
{"id":4,"name":"苏州市","category":{"class":"行政区域"},"status":"current","code":"3205","level":"prefecture","names":[{"text":"平江府","script":"hans","kind":"historical","start":"1113","end":"1367","citation":"《宋史·地理志》"}]}
{"id":5,"name":"山塘社区","category":{"class":"群众自治组织"},"status":"current","code":"320508003004","level":"village","admin":["3205","320508","320508003"]}
`

func openTemp(t *testing.T) *gazetteer.Store {
	t.Helper()
	s, err := gazetteer.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func load(t *testing.T, s *gazetteer.Store, jsonl string) *gazetteer.Report {
	t.Helper()
	in, err := gazetteer.ReadJSONL(strings.NewReader(jsonl), "fixture.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.PutAll(context.Background(), in, gazetteer.Change{Actor: "test", Reason: "fixture"}, gazetteer.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestPutGetDerives(t *testing.T) {
	s := openTemp(t)
	rep := load(t, s, fixture)
	if rep.Created != 5 {
		t.Fatalf("created %d, want 5", rep.Created)
	}
	p, err := s.Get(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Specific != "盘" || p.Generic != "门" || p.Pinyin != "Pán Mén" || p.Sign != "PAN MEN" {
		t.Errorf("derived fields: %q %q %q %q", p.Specific, p.Generic, p.Pinyin, p.Sign)
	}
	if p.Label == nil || *p.Label != (orb.Point{120.6119542, 31.2895554}) {
		t.Errorf("label point %v", p.Label)
	}
	if _, err := s.Get(context.Background(), 99); gazetteer.ErrorCode(err) != gazetteer.ENotFound {
		t.Errorf("missing place: %v", err)
	}
}

func TestRevisionsAndUnchanged(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	load(t, s, fixture)
	rep := load(t, s, fixture)
	if rep.Unchanged != 5 || rep.Created+rep.Updated != 0 {
		t.Fatalf("re-import: %+v", rep)
	}
	p, _ := s.Get(ctx, 3)
	p.Meaning = &gazetteer.Text{Text: "取《孟子》沧浪之水清兮之意", Source: "《沧浪亭记》(苏舜钦)"}
	if act, err := s.Put(ctx, p, gazetteer.Change{Actor: "officer", Reason: "add meaning"}); err != nil || act != gazetteer.Updated {
		t.Fatalf("put: %v %v", act, err)
	}
	revs, err := s.Revisions(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 {
		t.Fatalf("%d revisions, want 2", len(revs))
	}
	if string(revs[0].Before) != "null" || revs[1].Actor != "officer" || revs[1].Reason != "add meaning" {
		t.Errorf("revisions: %+v", revs)
	}
	var before, after gazetteer.Place
	json.Unmarshal(revs[1].Before, &before)
	json.Unmarshal(revs[1].After, &after)
	if before.Meaning != nil || after.Meaning == nil {
		t.Errorf("before/after do not show the change")
	}
}

func TestBadInputNamesFileLineField(t *testing.T) {
	good := strings.SplitN(fixture, "\n", 2)[0]
	cases := []struct {
		name, line, want string
	}{
		{"broken JSON", `{"id":9,"name":`, "bad.jsonl:2"},
		{"invalid UTF-8", "{\"id\":9,\"name\":\"\xff\xfe\",\"category\":{\"class\":\"建筑物\"}}", "bad.jsonl:2: invalid UTF-8"},
		{"missing name", `{"id":9,"category":{"class":"建筑物"}}`, "bad.jsonl:2: name: missing name"},
		{"unknown category", `{"id":9,"name":"某桥","category":{"class":"桥"}}`, "bad.jsonl:2: category: unknown category"},
		{"out of range", `{"id":9,"name":"某桥","category":{"class":"交通运输设施"},"coord":{"method":"osm"},"geometry":{"type":"Point","coordinates":[200,31]}}`, "bad.jsonl:2: geometry.coordinates: coordinate 200,31 out of range"},
		{"self-intersecting", `{"id":9,"name":"某湖","category":{"class":"陆地水系"},"coord":{"method":"digitized","accuracy_m":5},"geometry":{"type":"Polygon","coordinates":[[[120,31],[121,32],[121,31],[120,32],[120,31]]]}}`, "polygon ring intersects itself"},
		{"unclosed ring", `{"id":9,"name":"某湖","category":{"class":"陆地水系"},"coord":{"method":"digitized","accuracy_m":5},"geometry":{"type":"Polygon","coordinates":[[[120,31],[121,32],[121,31],[120.5,31]]]}}`, "not closed"},
		{"geometry without source", `{"id":9,"name":"某桥","category":{"class":"交通运输设施"},"geometry":{"type":"Point","coordinates":[120.6,31.3]}}`, "coord.method"},
		{"estimate without accuracy", `{"id":9,"name":"某桥","category":{"class":"交通运输设施"},"coord":{"method":"estimated"},"geometry":{"type":"Point","coordinates":[120.6,31.3]}}`, "accuracy"},
		{"unknown field", `{"id":9,"name":"某桥","colour":"red","category":{"class":"交通运输设施"}}`, "bad.jsonl:2: colour: unknown field"},
		{"wrong type", `{"id":"nine","name":"某桥","category":{"class":"交通运输设施"}}`, "bad.jsonl:2: id: write a whole number here, not a string"},
		{"specific+generic mismatch", `{"id":9,"name":"宝带桥","specific":"宝带","generic":"路","category":{"class":"交通运输设施"}}`, "specific"},
		{"unknown name kind", `{"id":9,"name":"宝带桥","names":[{"text":"长桥","kind":"nickname"}],"category":{"class":"交通运输设施"}}`, "names[0].kind"},
		{"meaning without source", `{"id":9,"name":"宝带桥","meaning":{"text":"某义"},"category":{"class":"交通运输设施"}}`, "meaning.source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTemp(t)
			load(t, s, fixture)
			var before bytes.Buffer
			s.WriteJSONL(ctx, &before, gazetteer.ExportOptions{})
			in, err := gazetteer.ReadJSONL(strings.NewReader(good+"\n"+c.line+"\n"), "bad.jsonl")
			if err == nil {
				_, err = s.PutAll(ctx, in, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{})
			}
			if err == nil {
				t.Fatal("bad input accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
				t.Errorf("code %s, want invalid", gazetteer.ErrorCode(err))
			}
			var after bytes.Buffer
			s.WriteJSONL(ctx, &after, gazetteer.ExportOptions{})
			if !bytes.Equal(before.Bytes(), after.Bytes()) {
				t.Error("a failed import changed the store")
			}
		})
	}
}

func TestJSONLRoundTripIsByteIdentical(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	load(t, a, fixture)
	var first bytes.Buffer
	if _, err := a.WriteJSONL(ctx, &first, gazetteer.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b := openTemp(t)
	in, err := gazetteer.ReadJSONL(bytes.NewReader(first.Bytes()), "export.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.PutAll(ctx, in, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	b.WriteJSONL(ctx, &second, gazetteer.ExportOptions{})
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", first.String(), second.String())
	}
}

func TestGeoJSONAndCSVRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	load(t, a, fixture)
	var gj, csvb bytes.Buffer
	a.WriteGeoJSON(ctx, &gj, gazetteer.ExportOptions{}, false)
	a.WriteCSV(ctx, &csvb, gazetteer.ExportOptions{BOM: true})
	in, err := gazetteer.ReadGeoJSON(bytes.NewReader(gj.Bytes()), "x.geojson", geo.WGS84)
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 5 || in[1].Place.Name != "盘门" || in[1].Place.Geometry.(orb.Point) != (orb.Point{120.6119542, 31.2895554}) {
		t.Fatalf("geojson read back: %+v", in[1].Place)
	}
	if len(in[3].Place.Names) != 1 || in[3].Place.Names[0].Text != "平江府" {
		t.Errorf("geojson lost the historical name")
	}
	rows, err := gazetteer.ReadCSV(bytes.NewReader(csvb.Bytes()), "x.csv", geo.WGS84)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0].Place.Name != "北寺塔" || rows[0].Place.Geometry.(orb.Point) != (orb.Point{120.6154018, 31.3245428}) {
		t.Fatalf("csv read back: %+v", rows[0].Place)
	}
}

func TestImportGCJ02ConvertsAtTheEdge(t *testing.T) {
	// The published test vector (DOMAIN.md §7): WGS84 31.1774276,121.5272106 is
	// GCJ-02 31.17530398364597,121.531541859215.
	csv := "name,class,lon,lat,coord_method,accuracy_m\n测试点,非行政区域,121.531541859215,31.17530398364597,digitized,10\n"
	in, err := gazetteer.ReadCSV(strings.NewReader(csv), "gcj.csv", geo.GCJ02)
	if err != nil {
		t.Fatal(err)
	}
	p := in[0].Place.Geometry.(orb.Point)
	if d := abs(p.Lon()-121.5272106) + abs(p.Lat()-31.1774276); d > 2e-7 {
		t.Errorf("converted to %v", p)
	}
	bad := "name,class,lon,lat\n测试点,非行政区域,NaN,31\n"
	if _, err := gazetteer.ReadCSV(strings.NewReader(bad), "nan.csv", geo.WGS84); err == nil || !strings.Contains(err.Error(), "nan.csv:2: lon") {
		t.Errorf("NaN: %v", err)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestFilters(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	load(t, s, fixture)
	count := func(f gazetteer.Filter) int {
		n, err := s.Count(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	b := orb.Bound{Min: orb.Point{120.61, 31.32}, Max: orb.Point{120.62, 31.33}}
	if n := count(gazetteer.Filter{BBox: &b}); n != 1 {
		t.Errorf("bbox: %d, want 1 (北寺塔)", n)
	}
	if n := count(gazetteer.Filter{Admin: "320508003"}); n != 1 {
		t.Errorf("admin prefix: %d", n)
	}
	if n := count(gazetteer.Filter{Admin: "320508"}); n != 4 {
		t.Errorf("admin county: %d, want 4", n)
	}
	if n := count(gazetteer.Filter{Class: "城墙堡"}); n != 1 {
		t.Errorf("subclass: %d", n)
	}
	if n := count(gazetteer.Filter{Heritage: "*"}); n != 1 {
		t.Errorf("heritage: %d", n)
	}
	if n := count(gazetteer.Filter{MissingGeometry: true}); n != 2 {
		t.Errorf("missing geometry: %d", n)
	}
}

func TestRenamingKeepsHistoryAndCancelKeepsRow(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	load(t, s, fixture)
	p, err := s.ApplyEvent(ctx, 5, gazetteer.Event{Type: gazetteer.EventRenaming, To: "七里山塘社区", Date: "2024-03-01", Document: "苏府地名函〔2024〕1号"}, gazetteer.Change{Actor: "officer"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "七里山塘社区" || len(p.Names) != 1 || p.Names[0].Text != "山塘社区" || p.Names[0].Kind != gazetteer.KindHistorical || p.Names[0].End != "2024-03-01" {
		t.Errorf("renamed: %+v", p)
	}
	if _, err := s.ApplyEvent(ctx, 5, gazetteer.Event{Type: gazetteer.EventCancel, Date: "2025-01-01"}, gazetteer.Change{Actor: "officer"}); err != nil {
		t.Fatal(err)
	}
	q, err := s.Get(ctx, 5)
	if err != nil || q.Status != gazetteer.StatusCancelled || len(q.Events) != 2 {
		t.Fatalf("cancelled place: %+v %v", q, err)
	}
	if _, err := s.ApplyEvent(ctx, 5, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "officer"}); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Errorf("second cancel: %v", err)
	}
	revs, _ := s.Revisions(ctx, 5)
	if len(revs) != 3 {
		t.Errorf("%d revisions, want 3", len(revs))
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	load(t, s, fixture)
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Size() == 0 {
		t.Fatal("no backup written")
	}
	b, err := gazetteer.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n, _ := b.Count(ctx, gazetteer.Filter{}); n != 5 {
		t.Errorf("backup has %d places", n)
	}
}

func TestWatchersSeeCommittedWritesOnly(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	var seen []int64
	s.Watch(func(p *gazetteer.Place) { seen = append(seen, p.ID) })
	in, _ := gazetteer.ReadJSONL(strings.NewReader(fixture), "f.jsonl")
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 0 {
		t.Fatalf("dry run notified %v", seen)
	}
	if n, _ := s.Count(ctx, gazetteer.Filter{}); n != 0 {
		t.Fatalf("dry run wrote %d places", n)
	}
	load(t, s, fixture)
	if len(seen) != 5 {
		t.Errorf("watchers saw %v", seen)
	}
}

func TestAlsoRunsInTheSameTransaction(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.DB().Exec(`CREATE TABLE other (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	in, _ := gazetteer.ReadJSONL(strings.NewReader(fixture), "f.jsonl")
	failing := gazetteer.PutOptions{Also: func(ctx context.Context, tx *sql.Tx, rep *gazetteer.Report) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO other VALUES (?)`, rep.Created); err != nil {
			return err
		}
		return gazetteer.Errorf(gazetteer.EConflict, "the other table refused")
	}}
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "t"}, failing); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Fatalf("err = %v", err)
	}
	var n int
	s.DB().QueryRow(`SELECT (SELECT count(*) FROM places) + (SELECT count(*) FROM other) + (SELECT count(*) FROM revisions)`).Scan(&n)
	if n != 0 {
		t.Fatalf("a failed Also left %d rows behind", n)
	}
	ok := gazetteer.PutOptions{Also: func(ctx context.Context, tx *sql.Tx, rep *gazetteer.Report) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO other VALUES (?)`, rep.Created)
		return err
	}}
	if _, err := s.ApplyEventWith(ctx, 1, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "t"}, ok); gazetteer.ErrorCode(err) != gazetteer.ENotFound {
		t.Fatalf("event on a missing place: %v", err)
	}
	load(t, s, fixture)
	if _, err := s.ApplyEventWith(ctx, 1, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "t"}, ok); err != nil {
		t.Fatal(err)
	}
	s.DB().QueryRow(`SELECT count(*) FROM other`).Scan(&n)
	if n != 1 {
		t.Errorf("Also ran %d times", n)
	}
}

func TestChangedSinceSeesOtherConnections(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := gazetteer.Open(filepath.Join(dir, "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ids, last, err := a.ChangedSince(ctx, 0)
	if err != nil || len(ids) != 0 || last != 0 {
		t.Fatalf("empty store: %v %d %v", ids, last, err)
	}
	b, err := gazetteer.Open(filepath.Join(dir, "w.db")) // another writer, as a CLI import would be
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	load(t, b, fixture)
	ids, last, err = a.ChangedSince(ctx, 0)
	if err != nil || len(ids) != 5 || last != 5 {
		t.Fatalf("after import: %v %d %v", ids, last, err)
	}
	if _, err := b.ApplyEvent(ctx, 3, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	ids, last2, _ := a.ChangedSince(ctx, last)
	if len(ids) != 1 || ids[0] != 3 || last2 != last+1 {
		t.Errorf("after one event: %v %d", ids, last2)
	}
}

func TestNonWGS84ExportsComeBackToWGS84(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	load(t, a, fixture)
	want := orb.Point{120.6154018, 31.3245428} // 北寺塔, id 1
	near := func(p orb.Point) bool { return abs(p[0]-want[0]) < 1e-7 && abs(p[1]-want[1]) < 1e-7 }

	var gj bytes.Buffer
	a.WriteGeoJSON(ctx, &gj, gazetteer.ExportOptions{CRS: geo.GCJ02, Filter: gazetteer.Filter{IDs: []int64{1}}}, false)
	in, err := gazetteer.ReadGeoJSON(bytes.NewReader(gj.Bytes()), "gcj.geojson", 0) // no --crs: the file's declaration wins
	if err != nil || !near(in[0].Place.Geometry.(orb.Point)) {
		t.Fatalf("GeoJSON in GCJ-02 read back: %v %v", in, err)
	}
	if _, err := gazetteer.ReadGeoJSON(bytes.NewReader(gj.Bytes()), "gcj.geojson", geo.BD09); err == nil || !strings.Contains(err.Error(), "wumen_crs") {
		t.Errorf("a contradicting --crs must be refused: %v", err)
	}

	var jl bytes.Buffer
	a.WriteJSONL(ctx, &jl, gazetteer.ExportOptions{CRS: geo.BD09, Filter: gazetteer.Filter{IDs: []int64{1}}})
	if !bytes.Contains(jl.Bytes(), []byte(`"wumen_crs":"bd09"`)) {
		t.Fatalf("the BD-09 export does not name its CRS: %s", jl.Bytes())
	}
	recs, err := gazetteer.ReadJSONL(bytes.NewReader(jl.Bytes()), "bd.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !near(recs[0].Place.Geometry.(orb.Point)) || recs[0].Place.Label != nil {
		t.Errorf("BD-09 JSON Lines converted to %v (label %v)", recs[0].Place.Geometry, recs[0].Place.Label)
	}
	if _, err := gazetteer.ReadJSONLIn(bytes.NewReader(jl.Bytes()), "bd.jsonl", geo.GCJ02); err == nil || !strings.Contains(err.Error(), "bd.jsonl:1: wumen_crs") {
		t.Errorf("a BD-09 file read with --crs gcj02 must be refused, naming the line: %v", err)
	}

	// GeoJSON text sequences (RFC 8142) name the CRS on every feature.
	var seq bytes.Buffer
	a.WriteGeoJSON(ctx, &seq, gazetteer.ExportOptions{CRS: geo.GCJ02, Seq: true, Filter: gazetteer.Filter{IDs: []int64{1}}}, true)
	if !bytes.HasPrefix(seq.Bytes(), []byte("\x1e{")) || !bytes.HasSuffix(seq.Bytes(), []byte("}\n")) {
		t.Errorf("not an RFC 8142 sequence: %q", seq.Bytes())
	}
	in, err = gazetteer.ReadGeoJSONSeq(bytes.NewReader(seq.Bytes()), "gcj.geojsons", gazetteer.GeoJSONOptions{})
	if err != nil || !near(in[0].Place.Geometry.(orb.Point)) {
		t.Errorf("GeoJSON sequence in GCJ-02 read back: %v %v", in, err)
	}
}

func TestImportedTimesAreNormalised(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	load(t, s, `{"id":8,"name":"枫桥","category":{"class":"交通运输设施"},"status":"current","updated":"2026-01-02T10:00:00+08:00"}`)
	p, _ := s.Get(ctx, 8)
	if p.Updated != "2026-01-02T02:00:00.000000000Z" {
		t.Errorf("updated stored as %q", p.Updated)
	}
	in, _ := gazetteer.ReadJSONL(strings.NewReader(`{"id":9,"name":"枫桥","category":{"class":"交通运输设施"},"updated":"yesterday"}`), "t.jsonl")
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{}); err == nil || !strings.Contains(err.Error(), "t.jsonl:1: updated") {
		t.Errorf("bad time: %v", err)
	}
	since, _ := time.Parse(time.RFC3339, "2026-01-02T01:59:59Z")
	if n, _ := s.Count(ctx, gazetteer.Filter{ChangedSince: since}); n != 1 {
		t.Errorf("changed since: %d", n)
	}
}

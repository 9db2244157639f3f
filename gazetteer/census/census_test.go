package census_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/gazetteer/storetest"
)

// The census rows of these tests are hand-written in the shape of a county's
// 地名普查成果表. Positions are OpenStreetMap's for the same places
// (shared data osm_heritage_places.csv: way/685088107 盘门, node/5870718034
// 寒山寺, way/799019071 横塘驿站), written in 度分秒 to 0.001″; the texts are
// test values, not census findings.
var censusHeader = []string{"序号", "标准名称", "罗马字母拼写", "地名类别", "所在（跨）行政区", "东经", "北纬", "地名含义", "历史沿革", "设立年份", "废止年份", "备注"}

var censusRows = [][]string{
	{"1", "盘门", "Pán Mén", "城墙堡", "苏州市姑苏区", "120°36′43.035″E", "31°17′22.399″N", "test meaning 1", "test history 1", "公元前514年", "", ""},
	{"2", "寒山寺", "", "纪念地旅游景点/宗教纪念地", "姑苏区", "120°34'7.239\"", "31°18'48.371\"", "", "", "", "", "test note"},
	{"3", "横塘驿站", "", "驿站", "苏州市虎丘区横塘街道", "120度34分48.502秒", "31度16分42.301秒", "", "", "", "1911", ""},
	{"4", "市桥村", "", "村民委员会", "虎丘区镇湖街道", "", "", "", "", "", "", ""},
}

// want are the decimal WGS84 positions the rows above must land at.
var want = map[string][2]float64{"盘门": {120.6119542, 31.2895554}, "寒山寺": {120.5686775, 31.3134364}, "横塘驿站": {120.5801394, 31.278417}}

// store returns a store holding the shipped administrative units and
// categories, as `wumen import` sees it.
func store(t testing.TB) (*gazetteer.Store, *gazetteer.AdminIndex) {
	t.Helper()
	s := storetest.Open(t)
	b, err := os.ReadFile("../../data/categories.json")
	if err != nil {
		t.Fatal(err)
	}
	cats, err := gazetteer.ParseCategories(b)
	if err != nil {
		t.Fatal(err)
	}
	s.SetCategories(cats)
	storetest.Put(t, s, storetest.Records(t, "../../data/admin.jsonl"))
	a, err := s.AdminIndex(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}

func importTable(t *testing.T, s *gazetteer.Store, tab *census.Table, opt gazetteer.PutOptions) (*gazetteer.Report, error) {
	t.Helper()
	defer tab.Close()
	return s.Import(context.Background(), tab.Records(), gazetteer.Change{Actor: "test", Reason: "census"}, opt)
}

// checkImported checks the records landed as the rows say.
func checkImported(t *testing.T, s *gazetteer.Store, rep *gazetteer.Report) {
	t.Helper()
	if rep.Created != len(censusRows) {
		t.Fatalf("created %d, want %d: %+v", rep.Created, len(censusRows), rep.Outcomes)
	}
	ctx := context.Background()
	got := map[string]*gazetteer.Place{}
	for _, o := range rep.Outcomes {
		p, err := s.Get(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[p.Name] = p
	}
	for name, ll := range want {
		p := got[name]
		if p == nil || p.Geometry == nil {
			t.Fatalf("%s: no position: %+v", name, p)
		}
		c := p.Label
		if math.Abs(c.Lon()-ll[0]) > 1e-6 || math.Abs(c.Lat()-ll[1]) > 1e-6 {
			t.Errorf("%s at %v, want %v", name, *c, ll)
		}
		if p.Coord == nil || p.Coord.Method != "digitized" || p.Coord.Source == "" {
			t.Errorf("%s: coord %+v, want digitized with its source", name, p.Coord)
		}
	}
	pm := got["盘门"]
	if pm.Category != (gazetteer.Category{Class: "纪念地旅游景点", Subclass: "城墙堡"}) || pm.Pinyin != "Pán Mén" ||
		strings.Join(pm.Admin, ",") != "3205,320508" || pm.Meaning == nil || pm.Meaning.Text != "test meaning 1" ||
		pm.History == nil || pm.Extra["established"] != "公元前514年" {
		t.Errorf("盘门 = %+v", pm)
	}
	if hs := got["寒山寺"]; hs.Category.Subclass != "宗教纪念地" || hs.Extra["note"] != "test note" || hs.Pinyin == "" {
		t.Errorf("寒山寺 = %+v", hs)
	}
	if ht := got["横塘驿站"]; ht.Status != gazetteer.StatusHistorical || strings.Join(ht.Admin, ",") != "3205,320505,320505001" {
		t.Errorf("横塘驿站 = %+v", ht)
	}
	if v := got["市桥村"]; v.Geometry != nil || v.Category.Class != "群众自治组织" || strings.Join(v.Admin, ",") != "3205,320505,320505004" {
		t.Errorf("市桥村 = %+v", v)
	}
}

func writeXLSX(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	f.SetCellValue(sheet, "A1", "姑苏区、虎丘区地名普查成果表（测试）")
	all := append([][]string{censusHeader}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestXLSX(t *testing.T) {
	s, a := store(t)
	path := filepath.Join(t.TempDir(), "census.xlsx")
	writeXLSX(t, path, censusRows)
	tab, err := census.OpenXLSX(path, census.Options{Name: "census.xlsx", Categories: s.Categories(), Admin: a})
	if err != nil {
		t.Fatal(err)
	}
	if d := tab.Describe(); !strings.Contains(d, "header on row 3") || !strings.Contains(d, "东经→lon") {
		t.Errorf("Describe = %s", d)
	}
	rep, err := importTable(t, s, tab, gazetteer.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkImported(t, s, rep)
}

func csvOf(rows [][]string) string {
	var b strings.Builder
	for _, r := range append([][]string{censusHeader}, rows...) {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, "\",") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

func TestCSVEncodings(t *testing.T) {
	text := csvOf(censusRows)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for enc, body := range map[string]string{"GB18030 (GBK)": gbk, "UTF-8 with BOM": "\ufeff" + text, "UTF-8": text} {
		t.Run(enc, func(t *testing.T) {
			s, a := store(t)
			tab, err := census.OpenCSV(strings.NewReader(body), census.Options{Name: "census.csv", Categories: s.Categories(), Admin: a})
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != enc {
				t.Errorf("encoding %q, want %q", tab.Encoding, enc)
			}
			rep, err := importTable(t, s, tab, gazetteer.PutOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkImported(t, s, rep)
		})
	}
}

func TestColumnMap(t *testing.T) {
	s, a := store(t)
	body := "地点,种类,区,X坐标,Y坐标\n盘门,城墙堡,姑苏区,120.6119542,31.2895554\n"
	m := filepath.Join(t.TempDir(), "map.json")
	os.WriteFile(m, []byte(`{"地点": "name", "种类": "category", "区": "admin", "X坐标": "lon", "Y坐标": "lat"}`), 0o644)
	cols, err := census.ReadColumnMap(m)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := census.OpenCSV(strings.NewReader(body), census.Options{Name: "other.csv", Categories: s.Categories(), Admin: a, Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importTable(t, s, tab, gazetteer.PutOptions{})
	if err != nil || rep.Created != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	os.WriteFile(m, []byte(`{"地点": "nmae"}`), 0o644)
	if _, err := census.ReadColumnMap(m); err == nil || !strings.Contains(err.Error(), `unknown field "nmae"`) {
		t.Errorf("bad map: %v", err)
	}
}

// TestBadRows checks every bad row is named with its row and column, and
// that nothing is written unless skipping is asked for.
func TestBadRows(t *testing.T) {
	s, a := store(t)
	rows := append([][]string{}, censusRows...)
	rows = append(rows,
		[]string{"5", "宝带桥", "", "桥墚", "吴中区", "120.63", "31.25", "", "", "", "", ""},
		[]string{"6", "觅渡桥", "", "桥梁", "姑苏区", "120°75′", "31.29", "", "", "", "", ""},
		[]string{"7", "", "", "桥梁", "姑苏区", "", "", "", "", "", "", ""},
		[]string{"8", "某桥", "", "桥梁", "上海市黄浦区", "", "", "", "", "", "", ""},
	)
	body := csvOf(rows)
	open := func() *census.Table {
		tab, err := census.OpenCSV(strings.NewReader(body), census.Options{Name: "bad.csv", Categories: s.Categories(), Admin: a})
		if err != nil {
			t.Fatal(err)
		}
		return tab
	}
	before, _ := s.Count(context.Background(), gazetteer.Filter{})
	_, err := importTable(t, s, open(), gazetteer.PutOptions{})
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Fatalf("err = %v", err)
	}
	for _, w := range []string{"4 of 8 records are invalid", "bad.csv: row 6: 地名类别: 未知类别“桥墚”", "交通运输设施/桥梁",
		"bad.csv: row 7: 东经:", "below 60", "bad.csv: row 8: 标准名称: missing name", "bad.csv: row 9: 所在（跨）行政区:"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	if n, _ := s.Count(context.Background(), gazetteer.Filter{}); n != before {
		t.Errorf("a failed import wrote %d records", n-before)
	}
	rep, err := importTable(t, s, open(), gazetteer.PutOptions{SkipInvalid: true})
	if err != nil || rep.Created != len(censusRows) || rep.SkippedCount != 4 || !strings.Contains(rep.Skipped[0], "row 6") {
		t.Fatalf("skip-invalid: %v %+v", err, rep)
	}
}

func TestBrokenEncoding(t *testing.T) {
	s, a := store(t)
	text := csvOf(censusRows[:1])
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(text)
	body := gbk + "9,\xff\xfe桥,,桥梁,姑苏区,,,,,,,\n"
	tab, err := census.OpenCSV(strings.NewReader(body), census.Options{Name: "mixed.csv", Categories: s.Categories(), Admin: a})
	if err != nil {
		t.Fatal(err)
	}
	_, err = importTable(t, s, tab, gazetteer.PutOptions{})
	if err == nil || !strings.Contains(err.Error(), "mixed.csv: row 3: 标准名称: bytes that are not valid GB18030") {
		t.Errorf("err = %v", err)
	}
}

// TestWumenCSVRecordColumns: a Wumen CSV row read through the census
// reader (the import's path for every .csv) gives back the record columns
// exactly — names with separators, escapes and spaces at their ends, texts
// with their own source (empty included) and verification — and a bad
// list cell is refused naming its column.
func TestWumenCSVRecordColumns(t *testing.T) {
	s, a := store(t)
	p := &gazetteer.Place{ID: 9, Name: "阊门", Category: gazetteer.Category{Class: "纪念地旅游景点", Subclass: "公园风景区"}, Status: gazetteer.StatusCurrent,
		Names: []gazetteer.Name{{Text: "閶門", Kind: "historical", Script: "hant", End: "1912", Citation: "《吴郡志》; 卷三"},
			{Text: "A|B ", Kind: "alias", Citation: `ends \`}},
		Meaning: &gazetteer.Text{Text: "含义", Verified: true, VerifiedBy: "officer"},
		Rel:     []gazetteer.Relation{{Type: "part_of", Target: 3}}, Sources: []gazetteer.Source{{ID: "ref", Title: "general reference; unverified"}}}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(gazetteer.CSVHeader)
	w.Write(gazetteer.CSVRow(p, 0))
	w.Flush()
	tab, err := census.OpenCSV(strings.NewReader(b.String()), census.Options{Name: "w.csv", Categories: s.Categories(), Admin: a})
	if err != nil {
		t.Fatal(err)
	}
	for r, err := range tab.Records() {
		if err != nil {
			t.Fatal(err)
		}
		q := r.Place
		if !reflect.DeepEqual(q.Names, p.Names) || !reflect.DeepEqual(q.Meaning, p.Meaning) || !reflect.DeepEqual(q.Rel, p.Rel) || !reflect.DeepEqual(q.Sources, p.Sources) {
			t.Errorf("read back names %+v meaning %+v rel %+v sources %+v", q.Names, q.Meaning, q.Rel, q.Sources)
		}
	}
	bad := strings.Replace(b.String(), "part_of|3", "part_of|盘门", 1)
	tab, err = census.OpenCSV(strings.NewReader(bad), census.Options{Name: "w.csv", Categories: s.Categories(), Admin: a})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range tab.Records() {
		if err == nil || !strings.Contains(err.Error(), "w.csv: row 2: relations") || !strings.Contains(err.Error(), "not a Wumen id") {
			t.Errorf("bad relations cell: %v", err)
		}
	}
}

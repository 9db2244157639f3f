// Package census reads the tables and layers of the place-name census
// (第二次全国地名普查 and its yearly updates) into gazetteer records: Excel
// workbooks (.xlsx, read row by row with excelize's streaming reader), CSV in
// UTF-8, UTF-8 with a byte-order mark, UTF-16 or GBK/GB18030 (detected), and
// Shapefiles (geo/shp) with their attribute tables.
//
// Columns are found by name: the census's own (标准名称, 罗马字母拼写, 地名类别,
// 所在(跨)行政区, 东经/北纬 …), Wumen's CSV export, and any other layout through
// a column map. columns.tsv lists every name recognised and the field it
// fills; Fields documents the fields. Coordinates may be decimal degrees or
// degrees-minutes-seconds (geo.ParseDegrees); categories are resolved by
// gazetteer.Categories.Resolve; 所在行政区 names by gazetteer.AdminIndex.
//
// Records are yielded one at a time, so a file of any size is read in
// constant memory; a bad row is yielded as an error naming the file, row and
// column, and reading goes on so that every bad row is reported.
package census

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
)

//go:embed columns.tsv
var columnsTSV string

// Fields are the fields a column can fill, with what each holds.
var Fields = map[string]string{
	"id":            "Wumen id of a place to update",
	"name":          "标准名称, the standard name (required)",
	"specific":      "专名",
	"generic":       "通名",
	"pinyin":        "罗马字母拼写, the reviewed romanization (derived when empty)",
	"category":      "地名类别: a category name (桥梁, 交通运输设施/桥梁) or a GB/T 18521 code",
	"category_code": "类别代码, used when category is empty",
	"class":         "大类",
	"subclass":      "子类",
	"status":        "current/现行, historical/历史, cancelled/注销",
	"code":          "statistical code of an administrative unit (统计用区划代码)",
	"census_code":   "地名代码 of the census (kept in extra.census_code)",
	"admin":         "所在(跨)行政区: unit names or statistical codes, several separated by 、",
	"heritage":      "heritage listings: list|level|year|note, entries separated by ;",
	"lon":           "longitude: decimal degrees or 度分秒 (120°37′30.5″E)",
	"lat":           "latitude: decimal degrees or 度分秒 (31°18′N)",
	"wkt":           "geometry as WKT",
	"crs":           "坐标系 of the row: CGCS2000, WGS84, GCJ-02, BD-09",
	"coord_method":  "坐标获取方式: 实测 (surveyed), 图解 (digitized), 估算 (estimated), osm, geonames",
	"accuracy_m":    "accuracy in metres",
	"coord_source":  "where the coordinate comes from",
	"meaning":       "地名含义",
	"history":       "历史沿革",
	"description":   "地理实体概况",
	"established":   "设立年份 (kept in extra.established)",
	"abolished":     "废止年份 (kept in extra.abolished; makes the name historical)",
	"note":          "备注 (kept in extra.note)",
	"alias":         "别名, several separated by 、",
	"former":        "历史地名/曾用名, several separated by 、",
	"abbreviation":  "简称",
	"source":        "资料来源及出处: the source of 含义, 沿革 and 概况",
	"osm":           "OpenStreetMap id (node/1)",
	"geonames":      "GeoNames id",
	"wikidata":      "Wikidata Q-id",
	"license":       "licence of the record",
	"updated":       "time of the record's last revision (RFC 3339)",
	// The columns of Wumen's CSV beyond the plain ones (docs/csv.md).
	"level":                   "administrative level of a unit: prefecture, county, township, village",
	"joined":                  "true when the name is romanized as one word",
	"sign":                    "GB 17733 sign form (derived when empty)",
	"rank":                    "importance 0..1",
	"nbs":                     "statistical code the unit is linked to (links.nbs)",
	"coord_note":              "how an estimated position was derived",
	"names":                   "other names: text|kind|script|lang|start|end|citation, entries separated by ;",
	"meaning_source":          "source of 地名含义",
	"meaning_verified":        "true when an officer verified 地名含义",
	"meaning_verified_by":     "who verified 地名含义",
	"history_source":          "source of 历史沿革",
	"history_verified":        "true when an officer verified 历史沿革",
	"history_verified_by":     "who verified 历史沿革",
	"description_source":      "source of 地理实体概况",
	"description_verified":    "true when an officer verified 地理实体概况",
	"description_verified_by": "who verified 地理实体概况",
	"relations":               "relations to other places: type|target|note, entries separated by ;",
	"events":                  "lifecycle events: type|date|document|from|to|start|end|note|proposal, entries separated by ;",
	"sources":                 "sources the record draws on: id|title|url|license, entries separated by ;",
	"extra":                   "other fields as a JSON object",
}

// aliases maps a folded column name to its field.
var aliases = parseColumns(columnsTSV)

func parseColumns(s string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimRight(line, "\r"); line == "" || line[0] == '#' {
			continue
		}
		f := strings.SplitN(line, "\t", 2)
		if len(f) != 2 {
			panic("census: bad line in columns.tsv: " + line)
		}
		if _, ok := Fields[f[0]]; !ok {
			panic("census: columns.tsv names an unknown field " + f[0])
		}
		for _, a := range strings.Split(f[1], "|") {
			out[fold(a)] = f[0]
		}
	}
	return out
}

// fold normalises a column name for matching: no spaces or required-marks,
// ASCII brackets, lower case.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '*' || r == '＊' || r == '\ufeff':
		case r == '（':
			b.WriteRune('(')
		case r == '）':
			b.WriteRune(')')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// ColumnMap maps a file's own column names to fields, for layouts the
// recognised names do not cover (--columns map.json).
type ColumnMap map[string]string

// ReadColumnMap reads a JSON object of column name → field, checking every
// field is known.
func ReadColumnMap(path string) (ColumnMap, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m ColumnMap
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: a column map is a JSON object of column name to field: %v", path, err)
	}
	for col, f := range m {
		if _, ok := Fields[f]; !ok {
			return nil, fmt.Errorf("%s: column %q maps to unknown field %q (known: %s)", path, col, f, strings.Join(FieldNames(), ", "))
		}
	}
	return m, nil
}

// FieldNames returns the known fields in order.
func FieldNames() []string {
	out := make([]string, 0, len(Fields))
	for f := range Fields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// header is a table's header row mapped onto fields.
type header struct {
	names   []string       // the columns as written
	field   []string       // field of each column ("" ignored)
	col     map[string]int // field → column
	ignored []string
}

// mapHeader maps a header row with the user's map first, then the
// recognised names. A field claimed by two columns is an error.
func mapHeader(row []string, user ColumnMap) (*header, error) {
	h := &header{names: row, field: make([]string, len(row)), col: map[string]int{}}
	folded := map[string]string{}
	for k, v := range user {
		folded[fold(k)] = v
	}
	for i, name := range row {
		f, ok := folded[fold(name)]
		if !ok {
			f, ok = aliases[fold(name)]
		}
		if !ok {
			if strings.TrimSpace(name) != "" {
				h.ignored = append(h.ignored, name)
			}
			continue
		}
		if j, dup := h.col[f]; dup {
			return nil, fmt.Errorf("columns %q and %q both give %s; map one of them elsewhere with --columns", row[j], name, f)
		}
		h.col[f] = i
		h.field[i] = f
	}
	return h, nil
}

// usable reports whether the row looks like the header: a name column and
// at least one more.
func (h *header) usable() bool {
	_, ok := h.col["name"]
	return ok && len(h.col) >= 2
}

// describe lists the mapping for the import's output.
func (h *header) describe() string {
	var parts []string
	for i, f := range h.field {
		if f != "" {
			parts = append(parts, h.names[i]+"→"+f)
		}
	}
	s := strings.Join(parts, ", ")
	if len(h.ignored) > 0 {
		s += "; ignored: " + strings.Join(h.ignored, ", ")
	}
	return s
}

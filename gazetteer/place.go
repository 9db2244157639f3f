// Package gazetteer is the domain of Wumen: places (地名), their names, lifecycle
// events and revisions, and the Store that holds them as the single source of
// truth. Store keeps its records in a Backend (backend.go); the embedded one
// is gazetteer/sqlite, and this package holds no SQL.
//
// The record shape follows the form of the 2nd national place-name census
// (第二次全国地名普查登记表): 标准名称 split into 专名 (Specific) and 通名
// (Generic), 类别, 所在行政区, 坐标 with its method, 地名含义, 历史沿革 and
// 资料来源.
package gazetteer

import (
	"encoding/json"

	"github.com/paulmach/orb"
)

// Status is the lifecycle state of a place name.
type Status string

// Place statuses.
const (
	StatusCurrent    Status = "current"    // in use (现行)
	StatusHistorical Status = "historical" // no longer in use, kept for culture (历史地名)
	StatusCancelled  Status = "cancelled"  // formally cancelled (注销)
)

// Category is the census classification: 大类 (Class), 子类 (Subclass) and an
// optional GB/T 18521-2001 numeric code.
type Category struct {
	Class    string `json:"class"`
	Subclass string `json:"subclass,omitempty"`
	Code     string `json:"code,omitempty"`
}

// Coord describes where a place's geometry comes from and how good it is
// (docs/domain.md §7): never present an estimate as a survey.
type Coord struct {
	// Method is one of surveyed, osm, geonames, digitized, estimated.
	Method string `json:"method"`
	// AccuracyM is the honest accuracy in metres.
	AccuracyM float64 `json:"accuracy_m,omitempty"`
	// Source names the source (a key of Sources or a free citation).
	Source string `json:"source,omitempty"`
	// Note explains an estimate (what it was derived from).
	Note string `json:"note,omitempty"`
}

// Heritage is a listing on a place-name heritage or protection list.
type Heritage struct {
	List  string `json:"list"`            // e.g. 江苏省地名文化遗产（古镇）
	Level string `json:"level,omitempty"` // world (UNESCO), national, province, city, county
	Year  int    `json:"year,omitempty"`  // batch year
	Note  string `json:"note,omitempty"`
}

// Text is a piece of prose (meaning, history, description) with its source and
// whether an officer has verified it. Unverified text is shown as 待核实.
type Text struct {
	Text       string `json:"text"`
	Source     string `json:"source,omitempty"`
	Verified   bool   `json:"verified,omitempty"`
	VerifiedBy string `json:"verified_by,omitempty"`
}

// Name kinds.
const (
	KindStandard     = "standard"     // 标准名称
	KindAlias        = "alias"        // 别名
	KindHistorical   = "historical"   // 历史地名/曾用名
	KindColloquial   = "colloquial"   // 俗称
	KindAbbreviation = "abbreviation" // 简称
	// Names in another language (Lang set), each with its citation: the
	// official name (the name of a UNESCO inscription, or an institution's
	// own English name) and a conventional translation an official or
	// reference source publishes (虎丘 Tiger Hill). A translation made here is
	// never a name: it is a description (gazetteer/english).
	KindOfficial     = "official"     // official name in another language
	KindConventional = "conventional" // established (conventional) translation
)

// Name scripts.
const (
	ScriptHans   = "hans"   // 简体
	ScriptHant   = "hant"   // 繁体
	ScriptPinyin = "pinyin" // 罗马字母拼写
	ScriptLatin  = "latin"  // other Latin-script names (English, Wade-Giles)
)

// Name is one name of a place with its kind, script, approximate dates and
// citation. Start and End are approximate dates: "1912", "1368-1644", "南宋",
// "c. 1781".
type Name struct {
	Text     string `json:"text"`
	Script   string `json:"script,omitempty"`
	Kind     string `json:"kind"`
	Start    string `json:"start,omitempty"`
	End      string `json:"end,omitempty"`
	Citation string `json:"citation,omitempty"`
	// Lang is the BCP 47 language of a name in another language ("en");
	// empty for Chinese names and their romanizations.
	Lang string `json:"lang,omitempty"`
}

// Event types (地名管理条例: 命名, 更名, 注销; and 起止点调整 for roads).
const (
	EventNaming     = "naming"   // 命名
	EventRenaming   = "renaming" // 更名
	EventCancel     = "cancel"   // 注销
	EventAdjustEnds = "adjust"   // 起止点调整
)

// Event is a lifecycle event of a name with its approval document.
type Event struct {
	Type     string `json:"type"`
	Date     string `json:"date,omitempty"`     // YYYY-MM-DD or approximate
	Document string `json:"document,omitempty"` // approval number, e.g. 苏府地名函〔2019〕85号
	From     string `json:"from,omitempty"`     // old name (更名)
	To       string `json:"to,omitempty"`       // new name (更名)
	Start    string `json:"start,omitempty"`    // road start point (起点)
	End      string `json:"end,omitempty"`      // road end point (止点)
	Note     string `json:"note,omitempty"`
	Proposal int64  `json:"proposal,omitempty"` // naming-review proposal that produced it
}

// Relation types.
const (
	RelPartOf      = "part_of"
	RelCrosses     = "crosses"
	RelNamedAfter  = "named_after"
	RelSuccessorOf = "successor_of"
)

// Relation links a place to another place.
type Relation struct {
	Type   string `json:"type"`
	Target int64  `json:"target"`
	Note   string `json:"note,omitempty"`
}

// Links are concordances with other gazetteers.
type Links struct {
	OSM      string `json:"osm,omitempty"`      // node/123, way/456, relation/789
	GeoNames int64  `json:"geonames,omitempty"` // geonameid
	Wikidata string `json:"wikidata,omitempty"` // Q-id
	NBS      string `json:"nbs,omitempty"`      // statistical code (统计用区划代码) of an admin unit
}

// Source is a citation a record draws on.
type Source struct {
	ID      string `json:"id"` // short key, e.g. nbs2023, osm, geonames
	Title   string `json:"title,omitempty"`
	URL     string `json:"url,omitempty"`
	License string `json:"license,omitempty"`
}

// Place is one named geographic entity. Its ID is stable and never reused.
type Place struct {
	ID int64 `json:"id"`
	// Name is the standard name (标准名称); Specific (专名) + Generic (通名)
	// spell it, with Generic empty where the name has no separable generic.
	Name     string `json:"name"`
	Specific string `json:"specific,omitempty"`
	Generic  string `json:"generic,omitempty"`
	// Joined marks names romanized as one word (natural villages and towns,
	// docs/domain.md §4): 陆巷 Lùxiàng.
	Joined   bool     `json:"joined,omitempty"`
	Category Category `json:"category"`
	Status   Status   `json:"status"`
	// Code is the place's own statistical code when it is an administrative
	// unit (6, 9 or 12 digits).
	Code string `json:"code,omitempty"`
	// Level is the administrative level of an admin unit: prefecture, county,
	// township, village.
	Level string `json:"level,omitempty"`
	// Admin lists the statistical codes of administrative parents, broadest
	// first; more than one hierarchy is allowed (a functional zone beside a
	// district).
	Admin    []string       `json:"admin,omitempty"`
	Geometry orb.Geometry   `json:"-"`
	Label    *orb.Point     `json:"-"`
	Coord    *Coord         `json:"coord,omitempty"`
	Heritage []Heritage     `json:"heritage,omitempty"`
	Meaning  *Text          `json:"meaning,omitempty"`
	History  *Text          `json:"history,omitempty"`
	Desc     *Text          `json:"description,omitempty"`
	Names    []Name         `json:"names,omitempty"`
	Events   []Event        `json:"events,omitempty"`
	Rel      []Relation     `json:"relations,omitempty"`
	Links    Links          `json:"links,omitempty"`
	Sources  []Source       `json:"sources,omitempty"`
	License  string         `json:"license,omitempty"` // SPDX-like: ODbL-1.0, CC-BY-4.0, CC0-1.0
	Extra    map[string]any `json:"extra,omitempty"`
	Updated  string         `json:"updated,omitempty"` // RFC 3339 time of the last revision (set by the store)
	Pinyin   string         `json:"pinyin,omitempty"`  // standard romanization (derived)
	Sign     string         `json:"sign,omitempty"`    // GB 17733 sign form (derived)
	Rank     float64        `json:"rank,omitempty"`    // importance 0..1 used to break ties
}

// placeJSON is Place's wire form: geometry as an RFC 7946 geometry object and
// the label point as [lon, lat].
type placeJSON struct {
	placeAlias
	Geometry *wireGeometry `json:"geometry,omitempty"`
	Label    *[2]float64   `json:"label,omitempty"`
	// CRS is the CRS an exported record's coordinates are in (crs.go); the
	// store never holds it: imports convert to WGS84 at the edge.
	CRS string `json:"wumen_crs,omitempty"`
}

type placeAlias Place

// MarshalJSON writes the place as one JSON record of the dataset.
func (p Place) MarshalJSON() ([]byte, error) {
	w := placeJSON{placeAlias: placeAlias(p)}
	if p.Geometry != nil {
		w.Geometry = newWireGeometry(p.Geometry)
	}
	if p.Label != nil {
		l := [2]float64(*p.Label)
		w.Label = &l
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads one JSON record of the dataset.
func (p *Place) UnmarshalJSON(b []byte) error {
	var w placeJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p.fromWire(&w)
	return nil
}

// decodeStrict reads one record rejecting unknown fields (a misspelt field
// must not vanish silently on import). It returns the CRS the record
// declares (wumen_crs), empty when it declares none.
func decodeStrict(dec *json.Decoder, p *Place) (string, error) {
	dec.DisallowUnknownFields()
	var w placeJSON
	if err := dec.Decode(&w); err != nil {
		return "", err
	}
	p.fromWire(&w)
	return w.CRS, nil
}

func (p *Place) fromWire(w *placeJSON) {
	*p = Place(w.placeAlias)
	p.Geometry = nil
	if w.Geometry != nil {
		p.Geometry = w.Geometry.Geometry()
	}
	p.Label = nil
	if w.Label != nil {
		pt := orb.Point(*w.Label)
		p.Label = &pt
	}
}

package export

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/geo"
	"wumen/geo/lpf"
)

//go:embed types.tsv
var typesTSV string

type placeType struct{ label, aat string }

// placeTypes maps a 大类 to its LPF type (types.tsv).
var placeTypes = func() map[string]placeType {
	m := map[string]placeType{}
	for i, line := range strings.Split(typesTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic(fmt.Sprintf("types.tsv:%d: want class, label, aat", i+1))
		}
		m[f[0]] = placeType{f[1], f[2]}
	}
	return m
}()

// DefaultBaseURI prefixes place ids in Linked Places @id and relationTo
// when the caller gives no base (the API passes its own place URLs).
const DefaultBaseURI = "urn:wumen:place:"

// LPF relation types (Getty vocabulary, as LPF uses them). Only part_of
// has a Getty property of its own; the others are tgn3000_related_to with
// the Wumen relation type leading the label, so imports recover it.
const (
	relBroader = "gvp:broaderPartitive"
	relRelated = "gvp:tgn3000_related_to"
)

var relLabels = map[string]string{
	gazetteer.RelPartOf:      "part of",
	gazetteer.RelSuccessorOf: "successor of",
	gazetteer.RelCrosses:     "crosses",
	gazetteer.RelNamedAfter:  "named after",
}

var scriptLang = map[string]string{
	gazetteer.ScriptHans: "zh-Hans", gazetteer.ScriptHant: "zh-Hant",
	gazetteer.ScriptPinyin: "zh-Latn-pinyin", gazetteer.ScriptLatin: "und-Latn", "": "zh",
}

// timeOf turns an approximate date into an LPF time: "in" for a year, the
// earliest/latest bounds for a period ("南宋" → 1127..1279).
func timeOf(s string, end bool) *lpf.Time {
	p, ok := gazetteer.ParsePeriod(s)
	if !ok {
		return nil
	}
	if p.Start == p.End {
		return &lpf.Time{In: isoYear(p.Start)}
	}
	return &lpf.Time{Earliest: isoYear(p.Start), Latest: isoYear(p.End)}
}

// whenOf is the LPF when of a name's approximate start and end; the label
// keeps the original text ("南宋 – ") so imports restore it exactly.
func whenOf(start, end string) *lpf.When {
	if start == "" && end == "" {
		return nil
	}
	ts := lpf.Timespan{}
	if t := timeOf(start, false); t != nil {
		ts.Start = *t
	}
	if end != "" {
		ts.End = timeOf(end, true)
	}
	w := &lpf.When{Label: start + " – " + end}
	if ts.Start != (lpf.Time{}) || ts.End != nil {
		w.Timespans = []lpf.Timespan{ts}
	}
	return w
}

// lpfMapper maps places onto LPF, looking up relation targets' names.
type lpfMapper struct {
	ctx   context.Context
	s     *gazetteer.Store
	base  string
	crs   geo.CRS
	names map[int64]string
	units map[string]*gazetteer.Place // admin units by code (nil: none)
}

func (m *lpfMapper) targetName(id int64) string {
	if n, ok := m.names[id]; ok {
		return n
	}
	n := ""
	if p, err := m.s.Get(m.ctx, id); err == nil {
		n = p.Name
	}
	if len(m.names) > 10000 {
		clear(m.names)
	}
	m.names[id] = n
	return n
}

func (m *lpfMapper) feature(p *gazetteer.Place) lpf.Feature {
	id := strconv.FormatInt(p.ID, 10)
	f := lpf.Feature{ID: m.base + id, Properties: lpf.Properties{Title: p.Name, CCodes: []string{"CN"}, Extra: wumenProperties(p)}}
	f.Names = append(f.Names, lpf.Name{Toponym: p.Name, Lang: "zh-Hans", Citations: []lpf.Citation{{Label: "标准名称 (standard name), Wumen gazetteer"}},
		Extra: nameExtra(lpfTitleKind, "", "")})
	if p.Pinyin != "" {
		f.Names = append(f.Names, lpf.Name{Toponym: p.Pinyin, Lang: "zh-Latn-pinyin", Citations: []lpf.Citation{{Label: "standard romanization (GB/T 16159), Wumen gazetteer"}},
			Extra: nameExtra(lpfPinyinKind, "", "")})
	}
	for _, n := range p.Names {
		ln := lpf.Name{Toponym: n.Text, Lang: scriptLang[n.Script], When: whenOf(n.Start, n.End), Extra: nameExtra(n.Kind, n.Script, n.Lang)}
		if n.Lang != "" {
			ln.Lang = n.Lang // a name in another language: Tiger Hill@en
		}
		if ln.Lang == "" {
			ln.Lang = "zh"
		}
		if n.Citation != "" {
			ln.Citations = []lpf.Citation{{Label: n.Citation}}
		}
		f.Names = append(f.Names, ln)
	}
	if t, ok := placeTypes[p.Category.Class]; ok {
		f.Types = append(f.Types, lpf.Type{Identifier: t.aat, Label: p.Category.Class + " (" + t.label + ")"})
	} else {
		f.Types = append(f.Types, lpf.Type{Label: p.Category.Class})
	}
	if p.Category.Subclass != "" {
		f.Types = append(f.Types, lpf.Type{Label: p.Category.Subclass})
	}
	if g := project(p.Geometry, m.crs); g != nil {
		f.Geometry = geojson.NewGeometry(g)
	}
	if p.Links.OSM != "" {
		f.Links = append(f.Links, lpf.Link{Type: lpf.CloseMatch, Identifier: "https://www.openstreetmap.org/" + p.Links.OSM})
	}
	if p.Links.GeoNames != 0 {
		f.Links = append(f.Links, lpf.Link{Type: lpf.CloseMatch, Identifier: "gn:" + strconv.FormatInt(p.Links.GeoNames, 10)})
	}
	if p.Links.Wikidata != "" {
		f.Links = append(f.Links, lpf.Link{Type: lpf.CloseMatch, Identifier: "wd:" + p.Links.Wikidata})
	}
	f.Relations = m.adminRelations(p)
	for _, r := range p.Rel {
		typ := relRelated
		if r.Type == gazetteer.RelPartOf {
			typ = relBroader
		}
		label := relLabels[r.Type] + " " + m.targetName(r.Target)
		f.Relations = append(f.Relations, lpf.Relation{RelationType: typ, RelationTo: m.base + strconv.FormatInt(r.Target, 10),
			Label: strings.TrimSpace(label), Extra: relationExtra(r)})
	}
	for _, t := range []struct {
		kind string
		t    *gazetteer.Text
	}{{"description", p.Desc}, {"meaning", p.Meaning}, {"history", p.History}} {
		if t.t != nil && t.t.Text != "" {
			f.Descriptions = append(f.Descriptions, textDescription(t.kind, t.t))
		}
	}
	return f
}

// lpfLost and lptsvLost are the fields of a Wumen record that Linked
// Places and LP-TSV cannot hold, measured by the round-trip test. Linked
// Places holds the whole record: names with their language, citation and
// dates (and kind and script as wumen_ members), admin parents as
// gvp:broaderPartitive relations to the units, the texts as descriptions,
// the rest as wumen_ members of properties, which WHG's schema allows
// (lpf_wumen.go). LP-TSV's columns (geo/lpf.TSVHeader) hold the title,
// variants without their kinds, dates or citations, types, matches, one
// geometry and a description.
var (
	lpfLost   []string
	lptsvLost = []string{"admin", "code", "coord", "extra", "generic", "heritage", "history", "joined", "level", "license", "links",
		"meaning", "names", "rank", "relations", "sign", "sources", "specific", "status"}
)

// LPFLost and LPTSVLost return what Linked Places and LP-TSV cannot hold.
func LPFLost() []string   { return slices.Clone(lpfLost) }
func LPTSVLost() []string { return slices.Clone(lptsvLost) }

// lpfHead is what the collection states beside its features: attribution,
// citation, CRS and, were any field of a record lost, wumen_lost naming
// them.
func lpfHead(crs geo.CRS) []byte {
	head := map[string]string{
		"attribution": gazetteer.Attribution,
		"citation":    "Wumen (吴门) gazetteer of Suzhou place names, exported " + time.Now().UTC().Format("2006-01-02"),
		"crs":         CRSLabel(crs),
	}
	if len(lpfLost) > 0 {
		head["wumen_lost"] = "Linked Places cannot hold these fields of a Wumen record, so an import of this file does not give them back: " +
			strings.Join(lpfLost, ", ") + ". Use jsonl, geojson or gpkg for a lossless copy."
	}
	b, _ := json.Marshal(head)
	return append(b[1:len(b)-1], ',')
}

// WriteLPF streams the selected places as a Linked Places Format (v1.1)
// FeatureCollection for the World Historical Gazetteer: names with their
// citations and `when` timespans (approximate dates and dynasties converted
// to years: 南宋 → 1127–1279), the census class as types, part_of as
// gvp:broaderPartitive and other relations as gvp:tgn3000_related_to,
// administrative parents as gvp:broaderPartitive to the units, the texts
// as descriptions, closeMatch links to OpenStreetMap, GeoNames and
// Wikidata, each record's licence, attribution and remaining fields as
// wumen_ members (lpf_wumen.go), and top-level attribution, citation and
// crs members. Place URIs are base + id (base DefaultBaseURI when empty).
func WriteLPF(ctx context.Context, s *gazetteer.Store, w io.Writer, o Options) (int, error) {
	crs := crsOf(o.Export.CRS)
	iw := &injectWriter{w: w, after: []byte(`{"type":"FeatureCollection",`), insert: lpfHead(crs)}
	lw, err := lpf.NewWriter(iw)
	if err != nil {
		return 0, err
	}
	m := &lpfMapper{ctx: ctx, s: s, base: o.baseURI(), crs: crs, names: map[int64]string{}, units: map[string]*gazetteer.Place{}}
	n, err := each(ctx, s, o.Export, func(p *gazetteer.Place) error { return lw.Write(m.feature(p)) })
	if err != nil {
		return n, err
	}
	return n, lw.Close()
}

// WriteLPTSV streams the selected places as LP-TSV, WHG's delimited upload
// format: start is the earliest year any of the place's names is dated
// from, else the year of the record's last revision (the format requires
// one); variants are the other names as text@lang; parent is the first
// part_of relation.
func WriteLPTSV(ctx context.Context, s *gazetteer.Store, w io.Writer, o Options) (int, error) {
	crs := crsOf(o.Export.CRS)
	tw, err := lpf.NewTSVWriter(w)
	if err != nil {
		return 0, err
	}
	m := &lpfMapper{ctx: ctx, s: s, base: o.baseURI(), crs: crs, names: map[int64]string{}}
	n, err := each(ctx, s, o.Export, func(p *gazetteer.Place) error {
		r := lpf.TSVRow{ID: strconv.FormatInt(p.ID, 10), Title: p.Name, TitleSource: "Wumen gazetteer (标准名称)",
			TitleURI: m.base + strconv.FormatInt(p.ID, 10), CCodes: []string{"CN"}, Types: []string{p.Category.Class}}
		if t, ok := placeTypes[p.Category.Class]; ok && t.aat != "" {
			r.AATTypes = []string{t.aat}
		}
		if p.Category.Subclass != "" {
			r.Types = append(r.Types, p.Category.Subclass)
		}
		earliest, latest, open := 1<<31-1, -1<<31, false
		if p.Pinyin != "" {
			r.Variants = append(r.Variants, p.Pinyin+"@zh-Latn")
		}
		for _, nm := range p.Names {
			lang := scriptLang[nm.Script]
			if lang == "zh-Latn-pinyin" {
				lang = "zh-Latn"
			}
			r.Variants = append(r.Variants, nm.Text+"@"+lang)
			if a, b, ok := gazetteer.NameSpan(nm.Start, nm.End); ok && nm.Start != "" {
				earliest = min(earliest, a)
				if nm.End == "" {
					open = true
				} else {
					latest = max(latest, b)
				}
			}
		}
		// start and end are the span the names are attested (LP-TSV v0.4:
		// "earliest/latest relevant date"), from the names' own dates; a
		// place whose names carry no dates has none (start is optional in
		// WHG's table schema), never the export year.
		if earliest < 1<<31-1 {
			r.Start = isoYear(earliest)
			if !open && latest > -1<<31 {
				r.End = isoYear(latest)
			}
		}
		for _, mt := range lpfMatches(p) {
			r.Matches = append(r.Matches, mt)
		}
		for _, rel := range p.Rel {
			if rel.Type == gazetteer.RelPartOf {
				r.ParentName = m.targetName(rel.Target)
				// WHG's parent_id is an http(s) URI or a WHG #id; a URN base
				// (the CLI default) names the parent by parent_name only.
				if strings.HasPrefix(m.base, "http://") || strings.HasPrefix(m.base, "https://") {
					r.ParentID = m.base + strconv.FormatInt(rel.Target, 10)
				}
				break
			}
		}
		if g := project(p.Geometry, crs); g != nil {
			if pt, ok := g.(orb.Point); ok {
				r.Lon, r.Lat = &pt[0], &pt[1]
			} else {
				r.GeoWKT = wkt.MarshalString(g)
			}
			if p.Coord != nil {
				r.GeoSource = p.Coord.Source
			}
		}
		r.Description = text(p.Desc)
		return tw.Write(r)
	})
	if err != nil {
		return n, err
	}
	return n, tw.Flush()
}

func lpfMatches(p *gazetteer.Place) []string {
	var out []string
	if p.Links.GeoNames != 0 {
		out = append(out, "gn:"+strconv.FormatInt(p.Links.GeoNames, 10))
	}
	if p.Links.Wikidata != "" {
		out = append(out, "wd:"+p.Links.Wikidata)
	}
	if p.Links.OSM != "" {
		out = append(out, "https://www.openstreetmap.org/"+p.Links.OSM)
	}
	return out
}

var trailingID = regexp.MustCompile(`(\d+)$`)

// ReadLPF reads a Linked Places FeatureCollection back into records:
// @id's trailing number as the id, title as the standard name, the other
// names with their dates (from the when label Wumen writes, else the
// timespan years), types as the census class, links and relations. LPF
// does not say how a position was obtained, so imported geometry is marked
// estimated at 1 km unless the record says better elsewhere. Coordinates
// are in crs (zero: WGS84).
func ReadLPF(r io.Reader, name string, crs geo.CRS) ([]gazetteer.Input, error) {
	var out []gazetteer.Input
	classes := map[string]string{}
	for c, t := range placeTypes {
		classes[c+" ("+t.label+")"] = c
		classes[c] = c
	}
	i := 0
	err := lpf.Read(r, func(f lpf.Feature) error {
		where := fmt.Sprintf("%s: features[%d]", name, i)
		i++
		p := &gazetteer.Place{Name: f.Properties.Title}
		if m := trailingID.FindStringSubmatch(f.ID); m != nil {
			p.ID, _ = strconv.ParseInt(m[1], 10, 64)
		}
		for j, t := range f.Types {
			if c, ok := classes[t.Label]; ok && p.Category.Class == "" {
				p.Category.Class = c
			} else if j > 0 && p.Category.Subclass == "" {
				p.Category.Subclass = t.Label
			}
		}
		if err := readLPFNames(p, f.Names); err != nil {
			return at(err, where)
		}
		for _, l := range f.Links {
			linkFrom(p, l.Identifier)
		}
		if err := readLPFRelations(p, f.Relations); err != nil {
			return at(err, where)
		}
		if len(f.Descriptions) > 0 && f.Descriptions[0].Extra["wumen_text"] == nil {
			p.Desc = &gazetteer.Text{Text: f.Descriptions[0].Value}
		}
		if f.Geometry != nil {
			g := f.Geometry.Geometry()
			if err := gazetteer.ValidGeometry(g); err != nil {
				return at(err, where)
			}
			p.Geometry = unproject(g, crs)
			p.Coord = &gazetteer.Coord{Method: "estimated", AccuracyM: 1000,
				Note: "imported from Linked Places Format, which does not state how the position was obtained"}
		}
		if err := fromWumen(p, &f); err != nil {
			return at(err, where)
		}
		out = append(out, gazetteer.Input{Place: p, Where: where})
		return nil
	})
	return out, readError(err, name)
}

// readLPFNames reads a feature's names: the pinyin and the other names,
// with the kind, script and language Wumen writes as wumen_ members, else
// guessed from lang and when (another producer's file).
func readLPFNames(p *gazetteer.Place, names []lpf.Name) error {
	for _, n := range names {
		gn := gazetteer.Name{Text: n.Toponym, Kind: gazetteer.KindAlias}
		if ok, err := wumenName(n, &gn); err != nil {
			return gazetteer.Errorf(gazetteer.EInvalid, "names: %v", err)
		} else if ok {
			switch gn.Kind {
			case lpfTitleKind:
			case lpfPinyinKind:
				p.Pinyin = n.Toponym
			default:
				gn.Start, gn.End = whenText(n.When)
				if len(n.Citations) > 0 {
					gn.Citation = n.Citations[0].Label
				}
				p.Names = append(p.Names, gn)
			}
			continue
		}
		if len(n.Citations) > 0 && strings.HasSuffix(n.Citations[0].Label, "Wumen gazetteer") {
			if n.Lang == "zh-Latn-pinyin" {
				p.Pinyin = n.Toponym
			}
			continue
		}
		for s, l := range scriptLang {
			if l == n.Lang && s != "" {
				gn.Script = s
			}
		}
		if n.Lang == "zh" {
			gn.Script = ""
		}
		if len(n.Citations) > 0 {
			gn.Citation = n.Citations[0].Label
			if l := n.Lang; len(l) >= 2 && len(l) <= 3 && !strings.HasPrefix(l, "zh") && l != "und" {
				gn.Script, gn.Lang = gazetteer.ScriptLatin, l // Tiger Hill@en, with its citation
			}
		}
		if gn.Start, gn.End = whenText(n.When); gn.End != "" {
			gn.Kind = gazetteer.KindHistorical
		}
		p.Names = append(p.Names, gn)
	}
	return nil
}

// readLPFRelations reads a feature's relations: admin parents (wumen_admin)
// into Admin, the others into Rel by their wumen_type, else by their
// relationType and label.
func readLPFRelations(p *gazetteer.Place, rels []lpf.Relation) error {
	for _, rel := range rels {
		m := trailingID.FindStringSubmatch(rel.RelationTo)
		if m == nil {
			continue
		}
		target, _ := strconv.ParseInt(m[1], 10, 64)
		if ok, err := wumenRelation(p, rel, target); err != nil {
			return gazetteer.Errorf(gazetteer.EInvalid, "relations: %v", err)
		} else if ok {
			continue
		}
		typ := ""
		if rel.RelationType == relBroader {
			typ = gazetteer.RelPartOf
		} else {
			for t, l := range relLabels {
				if t != gazetteer.RelPartOf && strings.HasPrefix(rel.Label, l) {
					typ = t
				}
			}
		}
		if typ != "" {
			p.Rel = append(p.Rel, gazetteer.Relation{Type: typ, Target: target})
		}
	}
	return nil
}

// whenText is a name's approximate start and end from its when: the label
// Wumen writes ("南宋 – 1912"), else the first timespan's years.
func whenText(w *lpf.When) (start, end string) {
	if w == nil {
		return "", ""
	}
	if a, b, ok := strings.Cut(w.Label, " – "); ok {
		return a, b
	}
	if len(w.Timespans) > 0 {
		ts := w.Timespans[0]
		start = firstOf(ts.Start.In, ts.Start.Earliest)
		if ts.End != nil {
			end = firstOf(ts.End.In, ts.End.Latest)
		}
	}
	return start, end
}

// linkFrom reads one match or link as lpfMatches writes it (gn:…, wd:…, an
// OpenStreetMap URL) into the place's links.
func linkFrom(p *gazetteer.Place, id string) {
	switch {
	case strings.HasPrefix(id, "gn:"):
		p.Links.GeoNames, _ = strconv.ParseInt(strings.TrimPrefix(id, "gn:"), 10, 64)
	case strings.HasPrefix(id, "wd:"):
		p.Links.Wikidata = strings.TrimPrefix(id, "wd:")
	case strings.Contains(id, "openstreetmap.org/"):
		p.Links.OSM = id[strings.Index(id, "openstreetmap.org/")+len("openstreetmap.org/"):]
	}
}

// readError is a reader's error as the import reports it: a *gazetteer.Error
// as it is, any other an invalid-input error at the file (nil stays nil).
func readError(err error, name string) error {
	if err == nil {
		return nil
	}
	if ge, ok := err.(*gazetteer.Error); ok {
		return ge
	}
	return &gazetteer.Error{Code: gazetteer.EInvalid, Where: name, Message: err.Error()}
}

func firstOf(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return strings.TrimLeft(x, "0")
		}
	}
	return ""
}

// isoYear writes a year as ISO 8601 expects (four digits, "-" for BCE), as
// Linked Places timespans use it.
func isoYear(y int) string {
	if y >= 9999 {
		return strconv.Itoa(time.Now().Year())
	}
	if y < 0 {
		return fmt.Sprintf("-%04d", -y)
	}
	return fmt.Sprintf("%04d", y)
}

// ReadLPTSV reads LP-TSV back into records as ReadLPF reads Linked Places:
// the id column as the id, title as the standard name, types as the class
// and subclass, the first zh-Latn variant as the pinyin (WriteLPTSV writes
// it first) and the others as names in their script, matches as links,
// lon/lat or geowkt as the geometry (marked estimated at 1 km: LP-TSV does
// not say how it was obtained), description as the description.
// Coordinates are in crs (zero: WGS84).
func ReadLPTSV(r io.Reader, name string, crs geo.CRS) ([]gazetteer.Input, error) {
	langScript := map[string]string{"zh-Latn": gazetteer.ScriptPinyin}
	for s, l := range scriptLang {
		langScript[l] = s
	}
	var out []gazetteer.Input
	err := lpf.ReadTSV(r, func(line int, row lpf.TSVRow) error {
		where := fmt.Sprintf("%s:%d", name, line)
		p := &gazetteer.Place{Name: row.Title, Status: gazetteer.StatusCurrent}
		if m := trailingID.FindStringSubmatch(row.ID); m != nil {
			p.ID, _ = strconv.ParseInt(m[1], 10, 64)
		}
		if len(row.Types) > 0 {
			p.Category.Class = row.Types[0]
		}
		if len(row.Types) > 1 {
			p.Category.Subclass = row.Types[1]
		}
		for i, v := range row.Variants {
			text, lang, _ := strings.Cut(v, "@")
			if i == 0 && lang == "zh-Latn" {
				p.Pinyin = text
				continue
			}
			n := gazetteer.Name{Text: text, Kind: gazetteer.KindAlias, Script: langScript[lang]}
			if lang != "" && langScript[lang] == "" && !strings.HasPrefix(lang, "zh") {
				n.Script, n.Lang = gazetteer.ScriptLatin, lang
			}
			p.Names = append(p.Names, n)
		}
		for _, m := range row.Matches {
			linkFrom(p, m)
		}
		var g orb.Geometry
		switch {
		case row.GeoWKT != "":
			w, err := wkt.Unmarshal(row.GeoWKT)
			if err != nil {
				return at(gazetteer.Errorf(gazetteer.EInvalid, "geowkt: %v", err), where)
			}
			g = w
		case row.Lon != nil:
			g = orb.Point{*row.Lon, *row.Lat}
		}
		if g != nil {
			if err := gazetteer.ValidGeometry(g); err != nil {
				return at(err, where)
			}
			p.Geometry = unproject(g, crs)
			p.Coord = &gazetteer.Coord{Method: "estimated", AccuracyM: 1000, Source: row.GeoSource,
				Note: "imported from LP-TSV, which does not state how the position was obtained"}
		}
		if row.Description != "" {
			p.Desc = &gazetteer.Text{Text: row.Description}
		}
		out = append(out, gazetteer.Input{Place: p, Where: where})
		return nil
	})
	return out, readError(err, name)
}

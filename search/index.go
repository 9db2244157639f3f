//go:build !js

package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"wumen/gazetteer"
)

// indexFormat names the layout of an index directory (fields, files);
// Open refuses another, and the caller rebuilds from the store.
const indexFormat = "wumen-search 11\n"

// Files inside an index directory; besides these, the tables read at open
// (namesFile, syllablesFile, spatialFile, hotFile) are defined beside their
// structures.
const (
	formatFile   = "format"        // indexFormat
	bleveDir     = "bleve"         // the bleve (scorch) index, one document per name
	snapshotFile = "places.bin"    // the places' entries as Build made them (snapshot.go)
	journalFile  = "journal.jsonl" // Upsert/Delete applied since Build
)

// segmentConfig pins the segment format: zap v15 builds these documents
// (many small fields, no vectors or synonyms) about 15% faster than the
// default v17, and a smaller index; it is given at build and at every open so
// segments written later (Upsert) and merged segments use it too.
func segmentConfig(cfg map[string]interface{}) map[string]interface{} {
	cfg["forceSegmentType"] = "zap"
	cfg["forceSegmentVersion"] = 15
	return cfg
}

// newEntry extracts the compact record of p.
func newEntry(p *gazetteer.Place) *entry {
	e := &entry{
		ID: p.ID, Class: p.Category.Class, Subclass: p.Category.Subclass, Status: p.Status,
		Code: p.Code, Level: p.Level, Admin: p.Admin, Heritage: p.Heritage, Rank: p.Rank, Pinyin: p.Pinyin,
	}
	std := nameRec{Text: p.Name, Kind: gazetteer.KindStandard}
	seen := map[nameRec]bool{}
	if p.Name != "" {
		e.Names = append(e.Names, std)
		seen[nameRec{Text: p.Name, Kind: gazetteer.KindStandard}] = true
	}
	for _, n := range p.Names {
		if n.Script == gazetteer.ScriptPinyin || strings.TrimSpace(n.Text) == "" {
			continue // romanizations are indexed from the characters
		}
		if n.Text == p.Name && (n.Kind == gazetteer.KindStandard || n.Kind == "") {
			e.Names[0].Start, e.Names[0].End = n.Start, n.End
			continue
		}
		r := nameRec{Text: n.Text, Kind: n.Kind, Start: n.Start, End: n.End, Lang: n.Lang}
		if r.Kind == "" {
			r.Kind = gazetteer.KindAlias
		}
		if seen[nameRec{Text: r.Text, Kind: r.Kind}] {
			continue
		}
		seen[nameRec{Text: r.Text, Kind: r.Kind}] = true
		e.Names = append(e.Names, r)
	}
	switch {
	case p.Label != nil:
		pt := *p.Label
		e.Point = &pt
	case p.Geometry != nil:
		pt := centre(p.Geometry)
		e.Point = &pt
	}
	if p.Geometry != nil {
		b := p.Geometry.Bound()
		e.Bound = &b
		switch g := p.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
			e.area = g
			e.Area, _ = wkb.Marshal(g)
		}
	}
	return e
}

// centre is a representative point of a geometry: the point itself, the
// middle vertex of a line, or the centre of the bound otherwise.
func centre(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.LineString:
		if len(g) > 0 {
			return g[len(g)/2]
		}
	}
	return g.Bound().Center()
}

// Every field is indexed only: no doc values (facets are counted from the
// entries, facets.go), no stored values, no term vectors.
var (
	textOpts  = index.IndexField
	facetOpts = index.IndexField
)

// documents appends the bleve documents of e, one per name; nts are the
// names' tokens and facets e's facet terms.
func (e *entry) documents(docs []*document.Document, nts []nameTokens, facets []string, pool *termPool) []*document.Document {
	filt := append(append(make([]string, 0, len(facets)+8), facets...), e.filterTerms()...)
	for k, n := range e.Names {
		d := document.NewDocument(docID(e.ID, k))
		field := func(name string, opts index.FieldIndexingOptions, terms []string) {
			if len(terms) > 0 {
				d.AddField(pool.field(name, opts, terms))
			}
		}
		field(fText, textOpts, nts[k].text)
		field(fEnglish, textOpts, nts[k].english)
		f := filt
		if from, to, dated := nameYears(n.Start, n.End); dated {
			d.AddField(document.NewNumericFieldWithIndexingOptions(fYearFrom, nil, float64(from), textOpts))
			d.AddField(document.NewNumericFieldWithIndexingOptions(fYearTo, nil, float64(to), textOpts))
		} else {
			f = append(f[:len(f):len(f)], fpUndated)
		}
		field(fFilter, facetOpts, f)
		docs = append(docs, d)
	}
	return docs
}

// indexMapping describes the fields for bleve (queries are built from term
// queries on these fields; documents are added pre-analysed, see documents).
func indexMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	im.DefaultAnalyzer = keyword.Name
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{fText, fEnglish, fFilter} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = keyword.Name // never used: fields come pre-analysed (termField), queries are terms
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f, fm)
	}
	for _, f := range []string{fYearFrom, fYearTo} {
		fm := bleve.NewNumericFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f, fm)
	}
	im.DefaultMapping = dm
	return im
}

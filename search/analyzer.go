//go:build !js

package search

import (
	index "github.com/blevesearch/bleve_index_api"
)

// termField is a bleve field whose terms tokenize already computed: Analyze
// only counts them (each once), with no analyzer pass and one allocation for
// the term bytes. It is how every document is added (see entry.documents).
type termField struct {
	name  string
	terms []string
	bytes int // total length of the terms
	opts  index.FieldIndexingOptions
	freqs index.TokenFrequencies
	tfs   []index.TokenFreq // backing the freqs
	buf   []byte            // backing the terms of tfs
}

func newTermField(name string, opts index.FieldIndexingOptions, terms ...string) *termField {
	n := 0
	for _, t := range terms {
		n += len(t)
	}
	return &termField{name: name, terms: terms, bytes: n, opts: opts}
}

// Name is the field name.
func (f *termField) Name() string { return f.name }

// ArrayPositions is nil: fields are not inside arrays.
func (f *termField) ArrayPositions() []uint64 { return nil }

// Options are the indexing options.
func (f *termField) Options() index.FieldIndexingOptions { return f.opts }

// Analyze builds the term frequencies, reusing the buffers of a recycled
// field (termPool).
func (f *termField) Analyze() {
	if cap(f.buf) < f.bytes {
		f.buf = make([]byte, 0, f.bytes)
	}
	if cap(f.tfs) < len(f.terms) {
		f.tfs = make([]index.TokenFreq, len(f.terms))
	}
	// A fresh map: a cleared one keeps its capacity, and bleve iterates it
	// at a cost by capacity.
	f.freqs = make(index.TokenFrequencies, len(f.terms))
	buf, tfs := f.buf[:0], f.tfs[:len(f.terms)]
	for i, t := range f.terms {
		start := len(buf)
		buf = append(buf, t...)
		tfs[i] = index.TokenFreq{Term: buf[start:len(buf):len(buf)]}
		tfs[i].SetFrequency(1)
		f.freqs[t] = &tfs[i]
	}
}

// termPool recycles the term fields of one build worker: bleve is done with
// a batch's documents once Batch returns (the segment has been built from
// them), so their fields, maps and buffers serve the next batch instead of
// becoming garbage.
// Fields are pooled per name: a map keeps its capacity when cleared, and
// iterating it costs by capacity, so a text field's map must not serve a
// two-term field.
type termPool struct {
	free map[string][]*termField
	used []*termField
}

// field returns a term field, recycled when the pool has one (nil pool:
// a new one).
func (p *termPool) field(name string, opts index.FieldIndexingOptions, terms []string) *termField {
	if p == nil {
		return newTermField(name, opts, terms...)
	}
	var f *termField
	if free := p.free[name]; len(free) > 0 {
		f, p.free[name] = free[len(free)-1], free[:len(free)-1]
	} else {
		f = new(termField)
	}
	n := 0
	for _, t := range terms {
		n += len(t)
	}
	f.name, f.terms, f.bytes, f.opts = name, terms, n, opts
	p.used = append(p.used, f)
	return f
}

// recycle makes every field handed out since the last call reusable.
func (p *termPool) recycle() {
	if p.free == nil {
		p.free = map[string][]*termField{}
	}
	for _, f := range p.used {
		p.free[f.name] = append(p.free[f.name], f)
	}
	clear(p.used)
	p.used = p.used[:0]
}

// Value is nil: nothing is stored.
func (f *termField) Value() []byte { return nil }

// NumPlainTextBytes counts the term bytes.
func (f *termField) NumPlainTextBytes() uint64 { return uint64(f.bytes) }

// Size estimates the memory held.
func (f *termField) Size() int { return 64 + f.bytes*3 + len(f.terms)*48 }

// EncodedFieldType is that of a text field.
func (f *termField) EncodedFieldType() byte { return 't' }

// AnalyzedLength is the number of terms.
func (f *termField) AnalyzedLength() int { return len(f.terms) }

// AnalyzedTokenFrequencies are the counted terms.
func (f *termField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

package gazetteer

import (
	"fmt"
	"strconv"
	"strings"
)

// The list cells of Wumen's CSV (docs/csv.md): a cell holding several
// entries — names, sources, relations, events, heritage listings — writes
// each entry's fields in a fixed order separated by "|", and the entries
// separated by " ; ". A backslash escapes "\", "|" and ";" in a value, and
// a space at either end of an entry (which the reader would otherwise trim).
// Trailing empty fields are left out; an empty cell is no entries.
//
//	names:     text|kind|script|lang|start|end|citation
//	sources:   id|title|url|license
//	relations: type|target|note
//	events:    type|date|document|from|to|start|end|note|proposal
//	heritage:  list|level|year|note

// entrySep and fieldSep separate a list cell's entries and an entry's
// fields.
const (
	entrySep = " ; "
	fieldSep = '|'
)

// joinEntries writes entries as one list cell.
func joinEntries(entries [][]string) string {
	var b strings.Builder
	for i, e := range entries {
		for len(e) > 1 && e[len(e)-1] == "" {
			e = e[:len(e)-1]
		}
		if i > 0 {
			b.WriteString(entrySep)
		}
		var eb strings.Builder
		for j, f := range e {
			if j > 0 {
				eb.WriteByte(fieldSep)
			}
			for _, r := range f {
				if r == '\\' || r == fieldSep || r == ';' {
					eb.WriteByte('\\')
				}
				eb.WriteRune(r)
			}
		}
		b.WriteString(escapeEnds(eb.String()))
	}
	return b.String()
}

// escapeEnds escapes the spaces at either end of an entry, which the
// reader would trim otherwise (a value never holds an escaped space
// elsewhere, so the middle cannot end in a lone backslash).
func escapeEnds(s string) string {
	l := len(s) - len(strings.TrimLeft(s, " "))
	if l == len(s) {
		return strings.Repeat(`\ `, l)
	}
	t := len(s) - len(strings.TrimRight(s, " "))
	return strings.Repeat(`\ `, l) + s[l:len(s)-t] + strings.Repeat(`\ `, t)
}

// splitEntries reads a list cell into its entries' fields. A backslash
// before "\", "|", ";" or a space stands for that character; before any
// other it is kept as written (a path in a citation). Unescaped white
// space around an entry is trimmed; empty entries are skipped.
func splitEntries(s string) [][]string {
	var out [][]string
	type ch struct {
		r   rune
		esc bool
	}
	var entry []ch
	flush := func() {
		i, j := 0, len(entry)
		for i < j && !entry[i].esc && isSpace(entry[i].r) {
			i++
		}
		for j > i && !entry[j-1].esc && isSpace(entry[j-1].r) {
			j--
		}
		if i == j {
			entry = entry[:0]
			return
		}
		fields := []string{""}
		var b strings.Builder
		for _, c := range entry[i:j] {
			if c.r == fieldSep && !c.esc {
				fields[len(fields)-1] = b.String()
				b.Reset()
				fields = append(fields, "")
				continue
			}
			b.WriteRune(c.r)
		}
		fields[len(fields)-1] = b.String()
		out = append(out, fields)
		entry = entry[:0]
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs) && strings.ContainsRune(`\|; `, rs[i+1]):
			i++
			entry = append(entry, ch{rs[i], true})
		case r == ';':
			flush()
		default:
			entry = append(entry, ch{r, false})
		}
	}
	flush()
	return out
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' }

// field is the i-th field of an entry, "" past its end.
func field(e []string, i int) string {
	if i < len(e) {
		return e[i]
	}
	return ""
}

// tooMany is the error for an entry with more fields than its syntax.
func tooMany(e []string, n int, syntax string) error {
	if len(e) > n {
		return fmt.Errorf("%q has %d fields, the syntax is %s (escape a | in a value as \\|)", strings.Join(e, "|"), len(e), syntax)
	}
	return nil
}

// FormatNames writes names as a CSV list cell: text|kind|script|lang|start|end|citation.
func FormatNames(ns []Name) string {
	var es [][]string
	for _, n := range ns {
		es = append(es, []string{n.Text, n.Kind, n.Script, n.Lang, n.Start, n.End, n.Citation})
	}
	return joinEntries(es)
}

// ParseNames reads a names cell (FormatNames); a name without a kind is an
// alias.
func ParseNames(s string) ([]Name, error) {
	var out []Name
	for _, e := range splitEntries(s) {
		if err := tooMany(e, 7, "text|kind|script|lang|start|end|citation"); err != nil {
			return nil, err
		}
		n := Name{Text: e[0], Kind: field(e, 1), Script: field(e, 2), Lang: field(e, 3), Start: field(e, 4), End: field(e, 5), Citation: field(e, 6)}
		if n.Text == "" {
			return nil, fmt.Errorf("%q: a name needs its text first", strings.Join(e, "|"))
		}
		if n.Kind == "" {
			n.Kind = KindAlias
		}
		out = append(out, n)
	}
	return out, nil
}

// FormatSources writes sources as a CSV list cell: id|title|url|license.
func FormatSources(ss []Source) string {
	var es [][]string
	for _, s := range ss {
		es = append(es, []string{s.ID, s.Title, s.URL, s.License})
	}
	return joinEntries(es)
}

// ParseSources reads a sources cell (FormatSources).
func ParseSources(s string) ([]Source, error) {
	var out []Source
	for _, e := range splitEntries(s) {
		if err := tooMany(e, 4, "id|title|url|license"); err != nil {
			return nil, err
		}
		out = append(out, Source{ID: e[0], Title: field(e, 1), URL: field(e, 2), License: field(e, 3)})
	}
	return out, nil
}

// FormatRelations writes relations as a CSV list cell: type|target|note.
func FormatRelations(rs []Relation) string {
	var es [][]string
	for _, r := range rs {
		es = append(es, []string{r.Type, strconv.FormatInt(r.Target, 10), r.Note})
	}
	return joinEntries(es)
}

// ParseRelations reads a relations cell (FormatRelations).
func ParseRelations(s string) ([]Relation, error) {
	var out []Relation
	for _, e := range splitEntries(s) {
		if err := tooMany(e, 3, "type|target|note"); err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(field(e, 1), 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%q: the target %q is not a Wumen id (type|target|note)", strings.Join(e, "|"), field(e, 1))
		}
		out = append(out, Relation{Type: e[0], Target: id, Note: field(e, 2)})
	}
	return out, nil
}

// FormatEvents writes events as a CSV list cell:
// type|date|document|from|to|start|end|note|proposal.
func FormatEvents(evs []Event) string {
	var es [][]string
	for _, ev := range evs {
		prop := ""
		if ev.Proposal != 0 {
			prop = strconv.FormatInt(ev.Proposal, 10)
		}
		es = append(es, []string{ev.Type, ev.Date, ev.Document, ev.From, ev.To, ev.Start, ev.End, ev.Note, prop})
	}
	return joinEntries(es)
}

// ParseEvents reads an events cell (FormatEvents).
func ParseEvents(s string) ([]Event, error) {
	const syntax = "type|date|document|from|to|start|end|note|proposal"
	var out []Event
	for _, e := range splitEntries(s) {
		if err := tooMany(e, 9, syntax); err != nil {
			return nil, err
		}
		ev := Event{Type: e[0], Date: field(e, 1), Document: field(e, 2), From: field(e, 3), To: field(e, 4),
			Start: field(e, 5), End: field(e, 6), Note: field(e, 7)}
		if p := field(e, 8); p != "" {
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%q: the proposal %q is not a number (%s)", strings.Join(e, "|"), p, syntax)
			}
			ev.Proposal = id
		}
		out = append(out, ev)
	}
	return out, nil
}

// FormatHeritage writes heritage listings as a CSV list cell:
// list|level|year|note.
func FormatHeritage(hs []Heritage) string {
	var es [][]string
	for _, h := range hs {
		year := ""
		if h.Year != 0 {
			year = strconv.Itoa(h.Year)
		}
		es = append(es, []string{h.List, h.Level, year, h.Note})
	}
	return joinEntries(es)
}

// heritageLevels are the levels a heritage listing has (Heritage.Level).
var heritageLevels = map[string]bool{"world": true, "national": true, "province": true, "city": true, "county": true}

// ParseHeritage reads a heritage cell (FormatHeritage). A level that is
// not a level (two listings joined with "|", as older exports wrote them)
// is an error.
func ParseHeritage(s string) ([]Heritage, error) {
	var out []Heritage
	for _, e := range splitEntries(s) {
		if err := tooMany(e, 4, "list|level|year|note"); err != nil {
			return nil, err
		}
		h := Heritage{List: e[0], Level: field(e, 1), Note: field(e, 3)}
		if h.Level != "" && !heritageLevels[h.Level] {
			return nil, fmt.Errorf("%q: the level %q is not world, national, province, city or county (list|level|year|note; separate listings with ;)",
				strings.Join(e, "|"), h.Level)
		}
		if y := field(e, 2); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil {
				return nil, fmt.Errorf("%q: the year %q is not a number (list|level|year|note)", strings.Join(e, "|"), y)
			}
			h.Year = n
		}
		out = append(out, h)
	}
	return out, nil
}

// Package search is the gazetteer's search index: how "shantang", "stj",
// 蘇州閶門, 平江府 or the single character 桥 find 山塘街, 阊门, 苏州 and the
// bridges.
//
// The index is derived from the store (Build takes the places from a
// callback; this package never opens the store) and holds one bleve (scorch)
// document per name, standard, alias, historical, colloquial or
// abbreviation, so that a hit says which name matched and a year filter
// applies to the name's own dates. Each name is indexed as tokens computed
// here, one code path for indexing and querying (tokens.go):
//
//   - the whole name, folded to simplified characters (OpenCC t2s via
//     gazetteer/script), lower case, without punctuation;
//   - Han unigrams and bigrams, so any substring of two or more characters
//     and any single character matches (bleve's cjk analyzer makes bigrams
//     only), plus the last character marked as the 通名 (桥$);
//   - toneless pinyin of the whole name for each heteronym reading
//     (gazetteer/romanize, place-name overrides first), runs of one or two
//     syllables, and initials;
//   - short edge n-grams (1–2 characters, 2–4 pinyin letters, 2–3 initials)
//     for prefixes; longer prefixes are prefix queries on the whole-name
//     fields, which then match few terms.
//
// Queries are analysed the same way (traditional folded, tone marks
// dropped, spaces ignored, Han characters in mixed input read as pinyin) and
// a one-letter pinyin typo is a fuzzy query (edit distance 1, ≥ 5 letters).
// bleve finds and roughly orders candidates; the final order is decided
// here (match.go, rankScore): exact standard name, exact other name, prefix,
// partial, then heritage, Place.Rank and shortness as tie-breakers. A query
// that starts with the name of an admin unit (苏州阊门, 常熟虞山) is also
// read as "that unit + name".
//
// Keys shared by thousands of names (新, 社区, zh, shan) would make bleve
// score tens of thousands of postings for ten results; for those the index
// keeps weighted completion lists in memory (hot.go).
//
// Geometry is not in bleve (a geopoint field made indexing about ten times
// slower here): an in-memory quadtree of label points serves bbox and
// distance filters, nearest places and reverse lookup (spatial.go).
//
// The 通名 → category table (generics.tsv) is a data file embedded in the
// package; approximate name dates are read by gazetteer.ParsePeriod.
package search

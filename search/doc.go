// Package search is the gazetteer's search index: how "shantang", "stj",
// 蘇州閶門, 平江府 or the single character 桥 find 山塘街, 阊门, 苏州 and the
// bridges.
//
// The index is derived from the store (Build takes the places from a
// callback; this package never opens the store). Each name (standard,
// alias, historical, colloquial, abbreviation) is tokenized here, one code
// path for indexing and querying (tokens.go), and lands in two places:
//
//   - bleve (scorch, zap v15), one document per name so a hit says which
//     name matched and a year filter applies to the name's own dates, with
//     two fields of pre-analysed terms: the Han unigrams and bigrams (any
//     substring, any single character; bleve's cjk analyzer makes bigrams
//     only) plus the last character marked as the 通名 (桥$); and one field
//     of prefixed filter terms (category, district and heritage list;
//     admin codes, heritage level, status), without doc values;
//   - the name table (names.go), an ordered in-memory table of every
//     name's normalized text (simplified via OpenCC t2s, lower case, no
//     punctuation), toneless pinyin per heteronym reading
//     (gazetteer/romanize, place-name overrides first) and initials: exact
//     matches are lookups, prefixes of any length are ranges, and a
//     one-letter pinyin typo is a few hundred lookups of the query's
//     variants. It is the sorted array the build made (and saved), with a
//     small btree of the keys written since.
//
// Pinyin inside a name (tang in 山塘街) goes through the characters: the
// syllable index (syllables.go) knows which indexed characters and bigrams
// are read as a syllable or a pair, so the query becomes term queries on
// the text field, and classify checks the real readings.
//
// Queries are analysed the same way (traditional folded, tone marks
// dropped, spaces ignored, Han characters in mixed input read as pinyin).
// The candidates of both sides are ranked here (match.go, rankScore): exact
// standard name, exact other name, prefix, partial, then heritage,
// Place.Rank and shortness as tie-breakers. A query that starts with the
// name of an admin unit (苏州阊门, 常熟虞山) is also read as "that unit +
// name".
//
// Keys shared by thousands of names (村, 新, shan, the prefix s) would make
// bleve score (or the table scan) tens of thousands of names for ten
// results; for those the index keeps weighted lists of the best names in
// memory (hot.go), and for a character or bigram also the facet counts of
// all its names. Facets otherwise come from a second, unscored pass that
// lists every match (bleve's searcher, each match's entry found through a
// table per segment, bleveents.go; the name table's scan) and counts them
// in memory from the matches' entries, each holding its facet values as
// small codes (facetcodes.go, given on the first facet count, or ahead of
// it by Warm, which a server calls after the open); the index
// keeps no doc values (a test holds the counts to bleve's postings of the
// facet terms).
//
// Build (build.go) runs two workers side by side, each tokenizing its
// share of the places, filling bleve batches (a segment each) and
// collecting its part of the name table and the hot lists, which are
// merged at the end. A server's index lives in a directory: index.go says
// what bleve gets of a place (documents, the mapping) and names the files;
// beside bleve, the build saves every in-memory structure ready-made, in
// versioned binary files (binfmt.go), so that opening reads them and
// rebuilds nothing: the places (places.bin, snapshot.go), the name table
// (names.bin, each key's place by its position in places.bin), the
// syllable index (syllables.bin) and the spatial index (points.bin,
// spatialfile.go), plus the hot lists (hot.jsonl). disk.go opens the
// directory, follows the journal of changes and writes them (Upsert,
// Delete); an index another process holds is read without bleve
// (readonly.go: the same files, the names' terms in memory postings as a
// compact index holds them) and refuses writes. keep.go holds the rules
// that keep an index in agreement with its store (OpenStore: catch up from
// the saved position or rebuild; never rebuild a held index). The
// tunables (batch size, workers, when a key gets a hot list, the re-ranking
// windows, how long Open waits for another process) are fields of Options,
// whose zero value is the defaults.
//
// Geometry is not in bleve (a geopoint field made indexing about ten times
// slower here): an in-memory k-d tree of label points (kdtree.go), laid
// out in one array as saved, with a quadtree of the places written since,
// serves bbox and distance filters and nearest places (spatial.go);
// reverse lookup is the store's (gazetteer.PlaceLocator).
//
// A query runs by job, a file each: search.go runs it (Search,
// Autocomplete, run) and chooses between readings of the text; gather.go
// gathers the candidates of both sides (name table, bleve, hot lists) and
// counts the matches; filter.go defines each filter once (category, admin
// unit, heritage, status, year, region), compiled to a bleve clause and to
// the same test in memory (memFilter) for the name table; bleveq.go builds
// the bleve text queries (text, pinyin inside names); table.go gathers the
// name table's candidates (exact, prefix, typo); match.go says how a name
// matched (classify); rank.go orders the candidates (rankScore, the
// tie-breakers); page.go cuts the page and makes the hits; facets.go
// counts them.
//
// Queries for bleve are built as a small tree of their own (qtree.go:
// terms, any-of, all-of, ranges, fuzzy terms, ids), run by bleve on a
// server (bleverun.go) or, in a static site, by the compact index
// (compact.go): the places, the tokens of every name and the hot lists in
// one JSON document, written at build time and opened by the search
// compiled to WebAssembly (search/wasm), with in-memory postings of the
// same terms scored as bleve scores them (memtext.go). Everything else —
// the name table, the ranking, the hits — is the same code in both, and a
// test holds the two to the same results on every relevance query and
// every prefix of it. English words are analysed there by englishTerms
// (english_plain.go), bleve's English analyzer assembled from its parts.
//
// The 通名 → category table (generics.tsv) is a data file embedded in the
// package; approximate name dates are read by gazetteer.ParsePeriod.
package search

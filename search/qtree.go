package search

import "context"

// qnode is a query over the name documents (one a name, see documents),
// built once by bleveq.go and run either by bleve (a server's index,
// bleverun.go) or by the postings of a compact index (a static site's
// search in the browser, compact.go), which score it as bleve does. Only
// the shapes the search builds exist: terms, any-of, all-of, a numeric
// range, fuzzy terms, a set of document ids and everything.
type qnode struct {
	op    qop
	field string
	term  string  // qTerm, qFuzzy
	boost float64 // qTerm, qFuzzy, qIDs; ignored on compound nodes, as bleve ignores it
	subs  []*qnode
	lo    float64 // qRange: lo ≤ value ≤ hi
	hi    float64
	ids   []string // qIDs: document ids (docID)
	fuzz  int      // qFuzzy: edits allowed
}

type qop uint8

const (
	qTerm qop = iota
	qOr
	qAnd
	qRange
	qFuzzy
	qIDs
	qAll
)

func termQuery(field, v string, boost float64) *qnode {
	return &qnode{op: qTerm, field: field, term: v, boost: boost}
}

func orQuery(subs []*qnode) *qnode  { return &qnode{op: qOr, subs: subs} }
func andQuery(subs []*qnode) *qnode { return &qnode{op: qAnd, subs: subs} }

// textIndex runs qnodes over the name documents: bleve on a server
// (bleverun.go), the postings of a compact index in a browser (compact.go).
type textIndex interface {
	// search returns the size best-scoring names matching q (by bleve's
	// score), and how many match.
	search(ctx context.Context, q *qnode, size int) ([]textHit, uint64, error)
	// count is how many names match q.
	count(ctx context.Context, q *qnode) (uint64, error)
	// each calls f with every name matching q (name k of place id), in
	// no particular order, unscored: facets are counted from the entries
	// of the names (facets.go).
	each(ctx context.Context, q *qnode, f func(id int64, k int)) error
	// everyName reports whether every name of the index has term in
	// field (a filter on it keeps everything).
	everyName(field, term string) (bool, error)
	// termCount is how many names have term in field, and how many
	// names there are.
	termCount(field, term string) (n, all uint64, err error)
	close() error
}

// textHit is one name found by a textIndex: name k of place id.
type textHit struct {
	id    int64
	k     int
	score float64
}

package review

import (
	"context"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Storage is what naming review needs of a store: its proposals, their files,
// comments and history, and the name lookups the rules run. A store
// implementation keeps them beside the places (gazetteer/sqlite implements it
// on its backend), and its transactions (gazetteer.Tx) implement Tx, so
// that a proposal's new state lands with the gazetteer change it makes.
type Storage interface {
	Names
	// Proposal returns a proposal with its latest check report.
	Proposal(ctx context.Context, id int64) (*Proposal, error)
	// ProposalIDs returns the ids of the proposals in the states (all when
	// none), newest first.
	ProposalIDs(ctx context.Context, states []State) ([]int64, error)
	// Attachments lists a proposal's files, without their data.
	Attachments(ctx context.Context, id int64) ([]Attachment, error)
	// Attachment returns one file with its data.
	Attachment(ctx context.Context, id, aid int64) (*Attachment, error)
	// Comments lists a proposal's comments, oldest first.
	Comments(ctx context.Context, id int64) ([]Comment, error)
	// History returns a proposal's append-only history, oldest first.
	History(ctx context.Context, id int64) ([]HistoryEntry, error)
}

// Tx is naming review's writes in one transaction.
type Tx interface {
	// InsertProposal stores a new proposal (its record as given) and
	// returns its id.
	InsertProposal(ctx context.Context, p *Proposal) (int64, error)
	// SaveProposal rewrites a proposal (and its report when rep is not
	// nil) if the stored one is still in state guard and, when was is not
	// "", still the record was; false when it is not (another officer
	// acted first).
	SaveProposal(ctx context.Context, p *Proposal, rep *Report, guard State, was string) (bool, error)
	// AppendHistory appends an entry, with the proposal as it now is, to
	// the proposal's history.
	AppendHistory(ctx context.Context, p *Proposal, h HistoryEntry) error
	// AddAttachment stores a file and returns its id.
	AddAttachment(ctx context.Context, a *Attachment) (int64, error)
	// AddComment appends a comment.
	AddComment(ctx context.Context, id int64, c Comment) error
}

// NameMatch is a name the lookups found: the place, the matched text and
// its kind (standard, alias, historical …).
type NameMatch struct {
	PlaceID    int64
	Text, Kind string
}

// Names are the lookups of the naming rules over the stored names.
type Names interface {
	// SameNames finds names written as one of forms, historical names left
	// out: those written exactly as name first, then standard names, then
	// by place.
	SameNames(ctx context.Context, forms []string, name string) ([]NameMatch, error)
	// Homophones finds standard, alias and colloquial names read as one of
	// the toneless readings, except those written as one of not; standard
	// names first.
	Homophones(ctx context.Context, readings []string, not []string) ([]NameMatch, error)
	// SameGenericLength finds the standard names of current places n
	// characters long with the 通名 generic, other than name.
	SameGenericLength(ctx context.Context, n int, name, generic string) ([]NameMatch, error)
	// SameSpecific finds the standard names of current places with the 专名
	// specific and a 通名 other than generic.
	SameSpecific(ctx context.Context, specific, generic string) ([]NameMatch, error)
	// HistoricalNear finds historical names, and the standard names of
	// historical places, whose label point lies in b.
	HistoricalNear(ctx context.Context, b orb.Bound) ([]NameMatch, error)
	// FormerNames finds the names written as one of texts that are no
	// longer in use (historical names, names of historical or cancelled
	// places) of places other than except; those of places not current first.
	FormerNames(ctx context.Context, texts []string, except int64) ([]NameMatch, error)
	// Holding finds current places other than except with a name holding
	// the character r, the most important first (at most limit).
	Holding(ctx context.Context, r rune, except int64, limit int) ([]NameMatch, error)
}

// storage returns the review storage of the store's backend.
func storage(s *gazetteer.Store) (Storage, error) {
	st, ok := s.Backend().(Storage)
	if !ok {
		return nil, gazetteer.Errorf(gazetteer.EInternal, "the store keeps no naming-review proposals")
	}
	return st, nil
}

// reviewTx returns naming review's side of a store transaction.
func reviewTx(tx gazetteer.Tx) (Tx, error) {
	t, ok := tx.(Tx)
	if !ok {
		return nil, gazetteer.Errorf(gazetteer.EInternal, "the store keeps no naming-review proposals")
	}
	return t, nil
}

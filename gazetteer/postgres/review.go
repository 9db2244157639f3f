package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/review"
)

// The tables of naming review (migration 0002): proposals, their files,
// comments and append-only history, and the name lookups of its rules.

// Proposal returns a proposal with its latest check report.
func (s *DB) Proposal(ctx context.Context, id int64) (*review.Proposal, error) {
	var doc string
	var rep *string
	err := s.pool.QueryRow(ctx, `SELECT doc, report FROM review_proposals WHERE id=$1`, id).Scan(&doc, &rep)
	if err == pgx.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "proposal %d not found", id)
	} else if err != nil {
		return nil, err
	}
	p := new(review.Proposal)
	if err := json.Unmarshal([]byte(doc), p); err != nil {
		return nil, err
	}
	if rep != nil {
		p.Report = new(review.Report)
		if err := json.Unmarshal([]byte(*rep), p.Report); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ProposalIDs returns the ids of the proposals in the states (all when
// none), newest first.
func (s *DB) ProposalIDs(ctx context.Context, states []review.State) ([]int64, error) {
	if len(states) == 0 {
		return ids(ctx, s.pool, `SELECT id FROM review_proposals ORDER BY id DESC`)
	}
	list := make([]string, len(states))
	for i, st := range states {
		list[i] = string(st)
	}
	return ids(ctx, s.pool, `SELECT id FROM review_proposals WHERE state = ANY($1) ORDER BY id DESC`, list)
}

// Attachments lists a proposal's files (without their data).
func (s *DB) Attachments(ctx context.Context, id int64) ([]review.Attachment, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, proposal_id, kind, filename, mime, size, uploaded_by, at FROM review_attachments WHERE proposal_id=$1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.Attachment, error) {
		var a review.Attachment
		err := r.Scan(&a.ID, &a.ProposalID, &a.Kind, &a.Filename, &a.MIME, &a.Size, &a.UploadedBy, &a.At)
		return a, err
	})
}

// Attachment returns one file with its data.
func (s *DB) Attachment(ctx context.Context, id, aid int64) (*review.Attachment, error) {
	a := &review.Attachment{}
	err := s.pool.QueryRow(ctx, `SELECT id, proposal_id, kind, filename, mime, size, uploaded_by, at, data FROM review_attachments WHERE proposal_id=$1 AND id=$2`, id, aid).
		Scan(&a.ID, &a.ProposalID, &a.Kind, &a.Filename, &a.MIME, &a.Size, &a.UploadedBy, &a.At, &a.Data)
	if err == pgx.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "attachment %d not found", aid)
	}
	return a, err
}

// Comments lists a proposal's comments, oldest first.
func (s *DB) Comments(ctx context.Context, id int64) ([]review.Comment, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, author, body, at FROM review_comments WHERE proposal_id=$1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.Comment, error) {
		var c review.Comment
		err := r.Scan(&c.ID, &c.Kind, &c.Author, &c.Body, &c.At)
		return c, err
	})
}

// History returns the append-only history of a proposal, oldest first.
func (s *DB) History(ctx context.Context, id int64) ([]review.HistoryEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor, action, from_state, to_state, note FROM proposal_history WHERE proposal_id=$1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.HistoryEntry, error) {
		var h review.HistoryEntry
		var from, to string
		err := r.Scan(&h.ID, &h.At, &h.Actor, &h.Action, &from, &to, &h.Note)
		h.From, h.To = review.State(from), review.State(to)
		return h, err
	})
}

// InsertProposal stores a new proposal and returns its id.
func (t *tx) InsertProposal(ctx context.Context, p *review.Proposal) (int64, error) {
	doc, _ := json.Marshal(p)
	var id int64
	err := t.tx.QueryRow(ctx, `INSERT INTO review_proposals(kind, state, doc, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		string(p.Kind), string(p.State), string(doc), p.CreatedBy, p.CreatedAt, p.UpdatedAt).Scan(&id)
	return id, err
}

// SaveProposal rewrites a proposal still in state guard.
func (t *tx) SaveProposal(ctx context.Context, p *review.Proposal, rep *review.Report, guard review.State, was string) (bool, error) {
	doc, _ := json.Marshal(p)
	var report *string
	if rep != nil {
		rj, _ := json.Marshal(rep)
		r := string(rj)
		report = &r
	}
	tag, err := t.tx.Exec(ctx, `UPDATE review_proposals SET state=$1, doc=$2, report=coalesce($3, report), updated_at=$4 WHERE id=$5 AND state=$6 AND ($7 = '' OR doc = $7)`,
		string(p.State), string(doc), report, p.UpdatedAt, p.ID, string(guard), was)
	return err == nil && tag.RowsAffected() == 1, err
}

// AppendHistory appends an entry to the proposal's history.
func (t *tx) AppendHistory(ctx context.Context, p *review.Proposal, h review.HistoryEntry) error {
	doc, _ := json.Marshal(p)
	return t.exec(ctx, `INSERT INTO proposal_history(proposal_id, at, actor, action, from_state, to_state, note, snapshot) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.ID, h.At, h.Actor, h.Action, string(h.From), string(h.To), h.Note, string(doc))
}

// AddAttachment stores a file and returns its id.
func (t *tx) AddAttachment(ctx context.Context, a *review.Attachment) (int64, error) {
	var id int64
	err := t.tx.QueryRow(ctx, `INSERT INTO review_attachments(proposal_id, kind, filename, mime, size, data, uploaded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		a.ProposalID, a.Kind, a.Filename, a.MIME, a.Size, a.Data, a.UploadedBy, a.At).Scan(&id)
	return id, err
}

// AddComment appends a comment.
func (t *tx) AddComment(ctx context.Context, id int64, c review.Comment) error {
	return t.exec(ctx, `INSERT INTO review_comments(proposal_id, kind, author, body, at) VALUES ($1, $2, $3, $4, $5)`, id, c.Kind, c.Author, c.Body, c.At)
}

// names runs a name lookup returning (place id, text, kind) rows.
func (s *DB) names(ctx context.Context, q string, a ...any) ([]review.NameMatch, error) {
	rows, err := s.pool.Query(ctx, q, a...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.NameMatch, error) {
		var m review.NameMatch
		err := r.Scan(&m.PlaceID, &m.Text, &m.Kind)
		return m, err
	})
}

// SameNames finds names written as one of forms, historical names left out.
func (s *DB) SameNames(ctx context.Context, forms []string, name string) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT place_id, text, kind FROM place_names WHERE text = ANY($1) AND kind <> 'historical'
		ORDER BY text <> $2, kind <> 'standard', place_id`, forms, name)
}

// Homophones finds standard, alias and colloquial names read as one of the
// toneless readings, except those written as one of not.
func (s *DB) Homophones(ctx context.Context, readings []string, not []string) ([]review.NameMatch, error) {
	if not == nil {
		not = []string{}
	}
	return s.names(ctx, `SELECT place_id, text, kind FROM place_names WHERE toneless = ANY($1) AND NOT (text = ANY($2))
		AND kind IN ('standard', 'alias', 'colloquial') ORDER BY kind <> 'standard', place_id`, readings, not)
}

// SameGenericLength finds current places n characters long with the 通名
// generic, other than name.
func (s *DB) SameGenericLength(ctx context.Context, n int, name, generic string) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT id, name, 'standard' FROM places WHERE status = 'current' AND length(name) = $1 AND name <> $2 AND generic = $3 ORDER BY id`, n, name, generic)
}

// SameSpecific finds current places with the 专名 specific and another 通名.
func (s *DB) SameSpecific(ctx context.Context, specific, generic string) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT id, name, 'standard' FROM places WHERE status = 'current' AND specific = $1 AND generic <> '' AND generic <> $2 ORDER BY id`, specific, generic)
}

// HistoricalNear finds names no longer in use whose place's label lies in b.
func (s *DB) HistoricalNear(ctx context.Context, b orb.Bound) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT n.place_id, n.text, n.kind FROM place_names n JOIN places p ON p.id = n.place_id
		WHERE p.lon BETWEEN $1 AND $2 AND p.lat BETWEEN $3 AND $4 AND (n.kind = 'historical' OR (p.status = 'historical' AND n.kind = 'standard'))
		ORDER BY n.place_id, n.seq`, b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat())
}

// FormerNames finds names written as one of texts no longer in use.
func (s *DB) FormerNames(ctx context.Context, texts []string, except int64) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT n.place_id, n.text, n.kind FROM place_names n JOIN places p ON p.id = n.place_id
		WHERE n.text = ANY($1) AND n.place_id <> $2 AND (n.kind = 'historical' OR p.status IN ('historical', 'cancelled'))
		ORDER BY p.status = 'current', n.place_id`, texts, except)
}

// Holding finds current places with a name holding r, most important first.
func (s *DB) Holding(ctx context.Context, r rune, except int64, limit int) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT p.id, p.name, 'standard' FROM place_names n JOIN places p ON p.id = n.place_id
		WHERE strpos(n.text, $1) > 0 AND n.place_id <> $2 AND p.status = 'current' GROUP BY p.id ORDER BY max(p.rank) DESC, p.id LIMIT $3`, string(r), except, limit)
}

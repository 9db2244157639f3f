package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/review"
)

// The tables of naming review (migrations/review): proposals, their files,
// comments and append-only history, and the name lookups of its rules.

// Proposal returns a proposal with its latest check report.
func (s *DB) Proposal(ctx context.Context, id int64) (*review.Proposal, error) {
	var doc string
	var rep sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT doc, report FROM review_proposals WHERE id=?`, id).Scan(&doc, &rep)
	if err == sql.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "proposal %d not found", id)
	} else if err != nil {
		return nil, err
	}
	p := new(review.Proposal)
	if err := json.Unmarshal([]byte(doc), p); err != nil {
		return nil, err
	}
	if rep.Valid {
		p.Report = new(review.Report)
		if err := json.Unmarshal([]byte(rep.String), p.Report); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ProposalIDs returns the ids of the proposals in the states (all when
// none), newest first.
func (s *DB) ProposalIDs(ctx context.Context, states []review.State) ([]int64, error) {
	q := `SELECT id FROM review_proposals`
	var args []any
	if len(states) > 0 {
		q += ` WHERE state IN (` + placeholders(len(states)) + `)`
		for _, st := range states {
			args = append(args, string(st))
		}
	}
	return s.ids(ctx, q+` ORDER BY id DESC`, args...)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Attachments lists a proposal's files (without their data).
func (s *DB) Attachments(ctx context.Context, id int64) ([]review.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, proposal_id, kind, filename, mime, size, uploaded_by, at FROM review_attachments WHERE proposal_id=? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []review.Attachment
	for rows.Next() {
		var a review.Attachment
		if err := rows.Scan(&a.ID, &a.ProposalID, &a.Kind, &a.Filename, &a.MIME, &a.Size, &a.UploadedBy, &a.At); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment returns one file with its data.
func (s *DB) Attachment(ctx context.Context, id, aid int64) (*review.Attachment, error) {
	a := &review.Attachment{}
	err := s.db.QueryRowContext(ctx, `SELECT id, proposal_id, kind, filename, mime, size, uploaded_by, at, data FROM review_attachments WHERE proposal_id=? AND id=?`, id, aid).
		Scan(&a.ID, &a.ProposalID, &a.Kind, &a.Filename, &a.MIME, &a.Size, &a.UploadedBy, &a.At, &a.Data)
	if err == sql.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "attachment %d not found", aid)
	}
	return a, err
}

// Comments lists a proposal's comments, oldest first.
func (s *DB) Comments(ctx context.Context, id int64) ([]review.Comment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, author, body, at FROM review_comments WHERE proposal_id=? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []review.Comment
	for rows.Next() {
		var c review.Comment
		if err := rows.Scan(&c.ID, &c.Kind, &c.Author, &c.Body, &c.At); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// History returns the append-only history of a proposal, oldest first.
func (s *DB) History(ctx context.Context, id int64) ([]review.HistoryEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, from_state, to_state, note FROM proposal_history WHERE proposal_id=? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []review.HistoryEntry
	for rows.Next() {
		var h review.HistoryEntry
		var from, to string
		if err := rows.Scan(&h.ID, &h.At, &h.Actor, &h.Action, &from, &to, &h.Note); err != nil {
			return nil, err
		}
		h.From, h.To = review.State(from), review.State(to)
		out = append(out, h)
	}
	return out, rows.Err()
}

// InsertProposal stores a new proposal and returns its id.
func (t *tx) InsertProposal(ctx context.Context, p *review.Proposal) (int64, error) {
	doc, _ := json.Marshal(p)
	res, err := t.tx.ExecContext(ctx, `INSERT INTO review_proposals(kind,state,doc,created_by,created_at,updated_at) VALUES (?,?,?,?,?,?)`,
		p.Kind, p.State, string(doc), p.CreatedBy, p.CreatedAt, p.UpdatedAt)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SaveProposal rewrites a proposal still in state guard.
func (t *tx) SaveProposal(ctx context.Context, p *review.Proposal, rep *review.Report, guard review.State, was string) (bool, error) {
	doc, _ := json.Marshal(p)
	var res sql.Result
	var err error
	if rep != nil {
		rj, _ := json.Marshal(rep)
		res, err = t.tx.ExecContext(ctx, `UPDATE review_proposals SET state=?, doc=?, report=?, updated_at=? WHERE id=? AND state=? AND (?7 = '' OR doc = ?7)`,
			p.State, string(doc), string(rj), p.UpdatedAt, p.ID, guard, was)
	} else {
		res, err = t.tx.ExecContext(ctx, `UPDATE review_proposals SET state=?, doc=?, updated_at=? WHERE id=? AND state=? AND (?6 = '' OR doc = ?6)`,
			p.State, string(doc), p.UpdatedAt, p.ID, guard, was)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AppendHistory appends an entry to the proposal's history.
func (t *tx) AppendHistory(ctx context.Context, p *review.Proposal, h review.HistoryEntry) error {
	doc, _ := json.Marshal(p)
	_, err := t.tx.ExecContext(ctx, `INSERT INTO proposal_history(proposal_id,at,actor,action,from_state,to_state,note,snapshot) VALUES (?,?,?,?,?,?,?,?)`,
		p.ID, h.At, h.Actor, h.Action, string(h.From), string(h.To), h.Note, string(doc))
	return err
}

// AddAttachment stores a file and returns its id.
func (t *tx) AddAttachment(ctx context.Context, a *review.Attachment) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO review_attachments(proposal_id,kind,filename,mime,size,data,uploaded_by,at) VALUES (?,?,?,?,?,?,?,?)`,
		a.ProposalID, a.Kind, a.Filename, a.MIME, a.Size, a.Data, a.UploadedBy, a.At)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// AddComment appends a comment.
func (t *tx) AddComment(ctx context.Context, id int64, c review.Comment) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO review_comments(proposal_id,kind,author,body,at) VALUES (?,?,?,?,?)`, id, c.Kind, c.Author, c.Body, c.At)
	return err
}

// names runs a name lookup returning (place id, text, kind) rows.
func (s *DB) names(ctx context.Context, q string, args ...any) ([]review.NameMatch, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []review.NameMatch
	for rows.Next() {
		var m review.NameMatch
		if err := rows.Scan(&m.PlaceID, &m.Text, &m.Kind); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func strArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// SameNames finds names written as one of forms, historical names left out.
func (s *DB) SameNames(ctx context.Context, forms []string, name string) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT place_id, text, kind FROM place_names WHERE text IN (`+placeholders(len(forms))+`) AND kind<>'historical' ORDER BY text<>?, kind<>'standard', place_id`,
		append(strArgs(forms), name)...)
}

// Homophones finds standard, alias and colloquial names read as one of the
// toneless readings, except those written as one of not.
func (s *DB) Homophones(ctx context.Context, readings []string, not []string) ([]review.NameMatch, error) {
	q := `SELECT place_id, text, kind FROM place_names WHERE toneless IN (` + placeholders(len(readings)) + `)`
	if len(not) > 0 {
		q += ` AND text NOT IN (` + placeholders(len(not)) + `)`
	}
	q += ` AND kind IN ('standard','alias','colloquial') ORDER BY kind<>'standard', place_id`
	return s.names(ctx, q, append(strArgs(readings), strArgs(not)...)...)
}

// SameGenericLength finds current places n characters long with the 通名
// generic, other than name.
func (s *DB) SameGenericLength(ctx context.Context, n int, name, generic string) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT id, name, 'standard' FROM places WHERE status='current' AND length(name)=? AND name<>? AND generic=?`, n, name, generic)
}

// SameSpecific finds current places with the 专名 specific and another 通名.
func (s *DB) SameSpecific(ctx context.Context, specific, generic string) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT id, name, 'standard' FROM places WHERE status='current' AND specific=? AND generic<>'' AND generic<>?`, specific, generic)
}

// HistoricalNear finds names no longer in use whose place's label lies in b.
func (s *DB) HistoricalNear(ctx context.Context, b orb.Bound) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT n.place_id, n.text, n.kind FROM place_names n JOIN places p ON p.id=n.place_id
		WHERE p.lon BETWEEN ? AND ? AND p.lat BETWEEN ? AND ? AND (n.kind='historical' OR (p.status='historical' AND n.kind='standard'))`,
		b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat())
}

// FormerNames finds names written as one of texts no longer in use.
func (s *DB) FormerNames(ctx context.Context, texts []string, except int64) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT n.place_id, n.text, n.kind FROM place_names n JOIN places p ON p.id=n.place_id
		WHERE n.text IN (`+placeholders(len(texts))+`) AND n.place_id <> ? AND (n.kind='historical' OR p.status IN ('historical','cancelled'))
		ORDER BY p.status='current', n.place_id`, append(strArgs(texts), except)...)
}

// Holding finds current places with a name holding r, most important first.
func (s *DB) Holding(ctx context.Context, r rune, except int64, limit int) ([]review.NameMatch, error) {
	return s.names(ctx, `SELECT p.id, p.name, 'standard' FROM place_names n JOIN places p ON p.id=n.place_id
		WHERE instr(n.text, ?) > 0 AND n.place_id <> ? AND p.status='current' GROUP BY p.id ORDER BY max(p.rank) DESC, p.id LIMIT ?`, string(r), except, limit)
}

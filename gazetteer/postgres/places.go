package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"wumen/gazetteer"
)

// Get returns the place with the given id.
func (s *DB) Get(ctx context.Context, id int64) (*gazetteer.Place, error) {
	var doc []byte
	err := s.pool.QueryRow(ctx, `SELECT doc FROM places WHERE id=$1`, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "place %d not found", id)
	} else if err != nil {
		return nil, err
	}
	return gazetteer.DecodeDoc(doc)
}

// GetByCode returns the administrative unit with the given statistical code.
func (s *DB) GetByCode(ctx context.Context, code string) (*gazetteer.Place, error) {
	var doc []byte
	err := s.pool.QueryRow(ctx, `SELECT doc FROM places WHERE code=$1 ORDER BY id LIMIT 1`, code).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "no administrative unit with code %s", code)
	} else if err != nil {
		return nil, err
	}
	return gazetteer.DecodeDoc(doc)
}

// args collects the arguments of a query and names their placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// where is the WHERE clause of a filter over places p (the same selection
// as gazetteer/sqlite's).
func where(f gazetteer.Filter, a *args) string {
	var conds []string
	if len(f.IDs) > 0 {
		conds = append(conds, "p.id = ANY("+a.add(f.IDs)+")")
	}
	if f.Class != "" {
		c := a.add(f.Class)
		conds = append(conds, "(p.class="+c+" OR p.subclass="+c+")")
	}
	if f.Admin != "" {
		pre := a.add(likePrefix(f.Admin))
		conds = append(conds, "(p.code LIKE "+pre+" OR EXISTS (SELECT 1 FROM place_admin ad WHERE ad.place_id=p.id AND ad.code LIKE "+pre+"))")
	}
	if f.Heritage == "*" || f.Heritage == "any" {
		conds = append(conds, "EXISTS (SELECT 1 FROM place_heritage h WHERE h.place_id=p.id)")
	} else if f.Heritage != "" {
		h := a.add(f.Heritage)
		conds = append(conds, "EXISTS (SELECT 1 FROM place_heritage h WHERE h.place_id=p.id AND (h.list="+h+" OR h.level="+h+"))")
	}
	if f.Status != "" {
		conds = append(conds, "p.status="+a.add(string(f.Status)))
	}
	if f.BBox != nil {
		conds = append(conds, "p.geom && ST_MakeEnvelope("+a.add(f.BBox.Min.Lon())+", "+a.add(f.BBox.Min.Lat())+", "+
			a.add(f.BBox.Max.Lon())+", "+a.add(f.BBox.Max.Lat())+", 4326)")
	}
	if f.MissingGeometry {
		conds = append(conds, "NOT p.has_geom")
	}
	if !f.ChangedSince.IsZero() {
		conds = append(conds, "p.updated>="+a.add(f.ChangedSince.UTC().Format(gazetteer.TimeLayout)))
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// likePrefix is a LIKE pattern for values starting with s (PostgreSQL's
// LIKE escapes with a backslash by default).
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

// EachDoc streams the stored JSON records the filter selects, in id order.
func (s *DB) EachDoc(ctx context.Context, f gazetteer.Filter, fn func(doc []byte) error) error {
	var a args
	q := `SELECT doc FROM places p` + where(f, &a) + ` ORDER BY p.id`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := s.pool.Query(ctx, q, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.RawValues()[0]); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Count returns how many places the filter selects (ignoring paging).
func (s *DB) Count(ctx context.Context, f gazetteer.Filter) (int, error) {
	var a args
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM places p`+where(f, &a), a...).Scan(&n)
	return n, err
}

// NextID returns one more than the largest id (places are never deleted).
func (s *DB) NextID(ctx context.Context) (int64, error) { return nextID(ctx, s.pool) }

// querier is a pool, a connection or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func nextID(ctx context.Context, q querier) (int64, error) {
	var max int64
	err := q.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM places`).Scan(&max)
	return max + 1, err
}

// Revisions returns the revisions of a place, oldest first.
func (s *DB) Revisions(ctx context.Context, placeID int64) ([]gazetteer.Revision, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, place_id, at, actor, reason, coalesce(before, 'null'), after FROM revisions WHERE place_id=$1 ORDER BY id`, placeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.Revision
	for rows.Next() {
		var r gazetteer.Revision
		var before, after string
		if err := rows.Scan(&r.ID, &r.PlaceID, &r.At, &r.Actor, &r.Reason, &before, &after); err != nil {
			return nil, err
		}
		r.Before, r.After = json.RawMessage(before), json.RawMessage(after)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AdminNames maps statistical codes to the name of the first place holding
// each.
func (s *DB) AdminNames(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (code) code, name FROM places WHERE code <> '' ORDER BY code, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// Walks returns every walk in order.
func (s *DB) Walks(ctx context.Context) ([]gazetteer.Walk, error) {
	rows, err := s.pool.Query(ctx, `SELECT doc FROM walks ORDER BY seq, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.Walk
	for rows.Next() {
		var w gazetteer.Walk
		if err := json.Unmarshal(rows.RawValues()[0], &w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// ids runs a query of one integer column.
func ids(ctx context.Context, q querier, sql string, a ...any) ([]int64, error) {
	rows, err := q.Query(ctx, sql, a...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

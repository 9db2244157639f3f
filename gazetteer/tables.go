package gazetteer

import (
	"context"
	"fmt"
	"slices"
)

// Moving a gazetteer between store implementations (wumen migrate) copies
// its tables whole — places with their names, revisions with their numbers,
// walks, page views, naming review's proposals and files, officers, tokens
// and the audit log — so that nothing of its history is rewritten. The
// implementations keep the same tables under the same names; what each
// derives (SQLite's R*Tree, PostGIS geometry) it builds again after a load.

// ColType is the kind of value a copied column holds.
type ColType int

// Column kinds.
const (
	ColInt ColType = iota
	ColFloat
	ColText
	ColBool
	ColBytes
)

// Column is a copied column: its name, kind and whether it may be NULL.
type Column struct {
	Name string
	Type ColType
	Null bool
}

// TableSpec is a copied table, its rows read in Key order.
type TableSpec struct {
	Name string
	Key  string
	Cols []Column
	// Serial is true for a table whose integer id the store hands out
	// (AUTOINCREMENT, BIGSERIAL): a load continues the numbering after the
	// largest id copied.
	Serial bool
}

func cols(spec string) []Column {
	var out []Column
	var name []byte
	flush := func(t ColType, null bool) {
		out = append(out, Column{Name: string(name), Type: t, Null: null})
		name = name[:0]
	}
	for i := 0; i < len(spec); i++ {
		switch c := spec[i]; c {
		case ' ':
		case ':':
			t := map[byte]ColType{'i': ColInt, 'f': ColFloat, 't': ColText, 'b': ColBool, 'x': ColBytes}[spec[i+1]]
			null := i+2 < len(spec) && spec[i+2] == '?'
			flush(t, null)
			i++
			if null {
				i++
			}
		default:
			name = append(name, c)
		}
	}
	return out
}

// storeTables are the tables of a gazetteer in the order a load needs them
// (a table before those that refer to it). Columns are written name:kind,
// kind i(nt) f(loat) t(ext) b(ool) x (bytes), ? when NULL is allowed.
var storeTables = []TableSpec{
	{Name: "places", Key: "id", Cols: cols("id:i name:t specific:t generic:t class:t subclass:t status:t code:t level:t pinyin:t toneless:t has_geom:b lon:f? lat:f? rank:f updated:t doc:t")},
	{Name: "place_names", Key: "place_id, seq", Cols: cols("place_id:i seq:i text:t script:t kind:t start:t end:t toneless:t")},
	{Name: "place_admin", Key: "place_id, code", Cols: cols("place_id:i code:t")},
	{Name: "place_heritage", Key: "place_id, list", Cols: cols("place_id:i list:t level:t year:i")},
	{Name: "revisions", Key: "id", Serial: true, Cols: cols("id:i place_id:i at:t actor:t reason:t before:t? after:t")},
	{Name: "walks", Key: "id", Cols: cols("id:t seq:i doc:t updated:t")},
	{Name: "meta", Key: "key", Cols: cols("key:t value:t")},
	{Name: "place_views", Key: "place_id", Cols: cols("place_id:i n:i")},
	{Name: "review_proposals", Key: "id", Serial: true, Cols: cols("id:i kind:t state:t doc:t report:t? created_by:t created_at:t updated_at:t")},
	{Name: "review_attachments", Key: "id", Serial: true, Cols: cols("id:i proposal_id:i kind:t filename:t mime:t size:i data:x uploaded_by:t at:t")},
	{Name: "review_comments", Key: "id", Serial: true, Cols: cols("id:i proposal_id:i kind:t author:t body:t at:t")},
	{Name: "proposal_history", Key: "id", Serial: true, Cols: cols("id:i proposal_id:i at:t actor:t action:t from_state:t to_state:t note:t snapshot:t")},
	{Name: "account_users", Key: "id", Serial: true, Cols: cols("id:i name:t role:t password:t disabled:b created_at:t")},
	{Name: "account_sessions", Key: "id", Cols: cols("id:t user_id:i csrf:t created_at:t expires_at:t ip:t")},
	{Name: "account_tokens", Key: "id", Serial: true, Cols: cols("id:i user_id:i label:t hash:t created_at:t revoked:b expires_at:t last_used_at:t")},
	{Name: "account_audit", Key: "id", Serial: true, Cols: cols("id:i at:t actor:t action:t object:t why:t ip:t")},
	{Name: "account_login_failures", Key: "account, window_start", Cols: cols("account:t window_start:t failures:i last_ip:t last_at:t")},
}

// StoreTables returns the copied tables, in load order.
func StoreTables() []TableSpec {
	out := slices.Clone(storeTables)
	for i := range out {
		out[i].Cols = slices.Clone(out[i].Cols)
	}
	return out
}

// TableCopier is a store implementation whose tables can be read and
// loaded whole. A value of a row is, by its column's kind, an int64, a
// float64, a string, a bool or a []byte, or nil where NULL is allowed.
type TableCopier interface {
	// DumpTable streams a table's rows in key order.
	DumpTable(ctx context.Context, t TableSpec, fn func(row []any) error) error
	// LoadTables loads tables into a store that holds nothing yet, in one
	// transaction: fn hands over each table's rows a chunk at a time, and
	// what the store derives from them is built before the commit.
	LoadTables(ctx context.Context, fn func(load func(t TableSpec, rows [][]any) error) error) error
}

// copyChunk is how many rows a copy hands over at once.
const copyChunk = 5000

// CopyStore copies every table of from into to, which must be empty: all
// or nothing. The copy keeps its own store id (the meta key store_id), so
// that derived views tell the two stores apart.
func CopyStore(ctx context.Context, from, to Backend) (map[string]int, error) {
	src, ok1 := from.(TableCopier)
	dst, ok2 := to.(TableCopier)
	if !ok1 || !ok2 {
		return nil, Errorf(EInvalid, "these stores cannot be copied table by table")
	}
	if n, err := to.Count(ctx, Filter{}); err != nil {
		return nil, err
	} else if head, err := to.Head(ctx); err != nil {
		return nil, err
	} else if n > 0 || head.Revision > 0 {
		return nil, Errorf(EConflict, "%s is not empty (%d places, %d revisions): migrate copies into an empty store only", to.Path(), n, head.Revision)
	}
	counts := map[string]int{}
	err := dst.LoadTables(ctx, func(load func(TableSpec, [][]any) error) error {
		for _, t := range storeTables {
			var chunk [][]any
			err := src.DumpTable(ctx, t, func(row []any) error {
				if t.Name == "meta" && row[0] == "store_id" {
					return nil
				}
				if len(row) != len(t.Cols) {
					return fmt.Errorf("%s: %d values for %d columns", t.Name, len(row), len(t.Cols))
				}
				chunk = append(chunk, slices.Clone(row))
				counts[t.Name]++
				if len(chunk) == copyChunk {
					err := load(t, chunk)
					chunk = chunk[:0]
					return err
				}
				return nil
			})
			if err == nil && len(chunk) > 0 {
				err = load(t, chunk)
			}
			if err != nil {
				return fmt.Errorf("copying %s: %w", t.Name, err)
			}
		}
		return nil
	})
	return counts, err
}

package postgres_test

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb/geojson"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/postgres"
	"wumen/gazetteer/postgres/pgtest"
	"wumen/gazetteer/review"
	"wumen/gazetteer/sqlite"
)

// TestCopyRoundTrip: the shipped gazetteer with an officer, a proposal with
// its history and a comment, copied SQLite → PostgreSQL → SQLite, table by
// table: the JSON Lines exports of all three are byte-identical, revisions
// keep their numbers, and the accounts, proposals and audit log are all
// there; a copy into a store that holds places is refused.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, err := sqlite.Open(filepath.Join(dir, "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Seed(ctx, data.FS, nil); err != nil {
		t.Fatal(err)
	}
	acc, err := account.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.AddUser(ctx, "rev1", "reviewer", "a long passphrase for rev1"); err != nil {
		t.Fatal(err)
	}
	rs, err := review.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	// A proposal at 留园's position (OpenStreetMap, as shipped).
	liuyuan, err := src.Get(ctx, 1001)
	if err != nil {
		t.Fatal(err)
	}
	at := geojson.NewGeometry(liuyuan.Geometry)
	p := &review.Proposal{Kind: review.Naming, Name: "留园新村", CategoryText: "居民点", Geometry: at, Applicant: "test"}
	if err := rs.Create(ctx, p, "rev1"); err != nil {
		t.Fatal(err)
	}
	if err := rs.Comment(ctx, p.ID, "comment", "rev1", "名称合规"); err != nil {
		t.Fatal(err)
	}

	pg, err := postgres.Open(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	counts, err := gazetteer.CopyStore(ctx, src.Backend(), pg.Backend())
	if err != nil {
		t.Fatal(err)
	}
	if counts["places"] < 2000 || counts["revisions"] < counts["places"] || counts["account_users"] != 1 || counts["proposal_history"] < 1 {
		t.Errorf("copied %v", counts)
	}
	back, err := sqlite.Open(filepath.Join(dir, "back.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := gazetteer.CopyStore(ctx, pg.Backend(), back.Backend()); err != nil {
		t.Fatal(err)
	}
	want := exportJSONL(t, src)
	for name, s := range map[string]*gazetteer.Store{"postgres": pg, "sqlite again": back} {
		if got := exportJSONL(t, s); !bytes.Equal(got, want) {
			t.Errorf("%s: the JSON Lines export differs from the original's (%d bytes, want %d)", name, len(got), len(want))
		}
		// What each store derives (PostGIS geometry, the R*Tree) is built.
		hits, err := s.Backend().Within(ctx, liuyuan.Geometry.Bound().Pad(1e-4), gazetteer.AnyShape)
		if err != nil || !slices.ContainsFunc(hits, func(h gazetteer.BoxHit) bool { return h.ID == 1001 }) {
			t.Errorf("%s: a spatial query at 留园 finds %v, %v", name, hits, err)
		}
		for _, tb := range gazetteer.StoreTables() {
			if tb.Name == "meta" {
				continue
			}
			if a, b := dump(t, src, tb), dump(t, s, tb); !reflect.DeepEqual(a, b) {
				t.Errorf("%s: table %s differs (%d rows, want %d)", name, tb.Name, len(b), len(a))
			}
		}
	}
	if sp, bp := position(t, src), position(t, pg); sp.Revision != bp.Revision || sp.Checksum != bp.Checksum || sp.Store == bp.Store {
		t.Errorf("positions %+v and %+v: want the same revision and checksum under another store id", sp, bp)
	}
	// The copy continues the numbering: a new proposal gets the next id.
	rpg, err := review.Open(pg)
	if err != nil {
		t.Fatal(err)
	}
	q := &review.Proposal{Kind: review.Naming, Name: "留园西村", CategoryText: "居民点", Geometry: at, Applicant: "test"}
	if err := rpg.Create(ctx, q, "rev1"); err != nil || q.ID != p.ID+1 {
		t.Errorf("new proposal on the copy: id %d, %v; want %d", q.ID, err, p.ID+1)
	}
	if _, err := gazetteer.CopyStore(ctx, src.Backend(), pg.Backend()); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Errorf("a copy into a store with places: %v", err)
	}
}

func exportJSONL(t *testing.T, s *gazetteer.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := s.WriteJSONL(context.Background(), &b, gazetteer.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func dump(t *testing.T, s *gazetteer.Store, tb gazetteer.TableSpec) [][]any {
	t.Helper()
	var out [][]any
	err := s.Backend().(gazetteer.TableCopier).DumpTable(context.Background(), tb, func(row []any) error {
		out = append(out, append([]any(nil), row...))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func position(t *testing.T, s *gazetteer.Store) gazetteer.Position {
	t.Helper()
	p, err := s.Backend().Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/gazetteer/storetest"
)

// TestPackedRTree checks the R*Tree a bulk load packs into SQLite's shadow
// tables: SQLite's own rtreecheck finds it sound, it holds exactly the box of
// every place with a geometry, rounded as SQLite rounds an inserted one, it
// answers box queries as a scan of the boxes does, and SQLite's own
// insertions and deletions go on working on it.
func TestPackedRTree(t *testing.T) {
	t.Run("packed", testPackedRTree)
	// A load with more entries than it keeps in memory puts them into the
	// tree when it reaches the bound and inserts the rest.
	t.Run("beyond the bound", func(t *testing.T) {
		defer sqlite.SetMaxPackedBoxes(400)()
		testPackedRTree(t)
	})
}

func testPackedRTree(t *testing.T) {
	const n = 3000
	ctx := context.Background()
	s := storetest.Open(t)
	load := func(data []byte) {
		t.Helper()
		if _, err := s.Import(ctx, gazetteer.JSONLRecords(bytes.NewReader(data), "r.jsonl", 0), gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	load(genRecords(n, 1))
	checkRTree(t, s, "after a bulk load")
	// The same ids again, other geometries (some gone, some new, some
	// moved), and place 5 written twice, the second time without one.
	again := append(genRecords(n, 2), []byte(`{"id":5,"name":"丁香巷","category":{"class":"非行政区域"},"status":"current"}`+"\n")...)
	load(again)
	checkRTree(t, s, "after a bulk update")
	// SQLite's own insertions into the packed tree's full nodes.
	for i := 0; i < 200; i++ {
		line := fmt.Sprintf(`{"id":%d,"name":"枫桥","category":{"class":"交通运输设施"},"status":"current","coord":{"method":"estimated","accuracy_m":100},"geometry":{"type":"Point","coordinates":[%f,%f]}}`,
			n+1+i, 120.5+float64(i)*0.001, 31.2+float64(i%17)*0.01)
		storetest.Load(t, s, line)
	}
	storetest.Load(t, s, `{"id":7,"name":"枫桥","category":{"class":"交通运输设施"},"status":"current"}`)
	checkRTree(t, s, "after single writes")
}

// checkRTree compares places_rtree with the boxes of the stored places,
// inserted into a fresh R*Tree by SQLite.
func checkRTree(t *testing.T, s *gazetteer.Store, when string) {
	t.Helper()
	ctx := context.Background()
	db, err := rawSQL(s).Conn(ctx) // one connection: temp.want is its own
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, `SELECT rtreecheck('places_rtree')`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("%s: rtreecheck: %q %v", when, ok, err)
	}
	if _, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS temp.want; CREATE VIRTUAL TABLE temp.want USING rtree(id, min_lon, max_lon, min_lat, max_lat)`); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT doc FROM places WHERE has_geom`)
	if err != nil {
		t.Fatal(err)
	}
	var boxes [][5]any
	for rows.Next() {
		var doc []byte
		rows.Scan(&doc)
		p, err := gazetteer.DecodeDoc(doc)
		if err != nil {
			t.Fatal(err)
		}
		b := p.Geometry.Bound()
		boxes = append(boxes, [5]any{p.ID, b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat()})
	}
	rows.Close()
	for _, b := range boxes {
		if _, err := db.ExecContext(ctx, `INSERT INTO temp.want VALUES (?,?,?,?,?)`, b[:]...); err != nil {
			t.Fatal(err)
		}
	}
	dump := func(q string, args ...any) string {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out bytes.Buffer
		for rows.Next() {
			var id int64
			var c [4]float64
			rows.Scan(&id, &c[0], &c[1], &c[2], &c[3])
			fmt.Fprintf(&out, "%d %v\n", id, c)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	got, want := dump(`SELECT * FROM places_rtree ORDER BY id`), dump(`SELECT * FROM temp.want ORDER BY id`)
	if got != want || len(boxes) == 0 {
		t.Fatalf("%s: the R*Tree holds\n%s\nwant (%d boxes)\n%s", when, firstDiff(got, want), len(boxes), firstDiff(want, got))
	}
	for _, q := range [][4]float64{{120.55, 120.6, 31.25, 31.3}, {120.7, 120.9, 31.2, 31.21}, {120.0, 121.0, 31.0, 32.0}, {120.61, 120.611, 31.31, 31.311}} {
		const where = ` WHERE max_lon>=? AND min_lon<=? AND max_lat>=? AND min_lat<=? ORDER BY id`
		got := dump(`SELECT * FROM places_rtree`+where, q[0], q[1], q[2], q[3])
		scan := dump(`SELECT * FROM (SELECT id+0 id, min_lon, max_lon, min_lat, max_lat FROM temp.want)`+where, q[0], q[1], q[2], q[3])
		if got != scan {
			t.Errorf("%s: the R*Tree finds in %v\n%.1000s\na scan\n%.1000s", when, q, got, scan)
		}
	}
}

// firstDiff returns the first line of a not in b.
func firstDiff(a, b string) string {
	have := map[string]bool{}
	for _, l := range strings.Split(b, "\n") {
		have[l] = true
	}
	for _, l := range strings.Split(a, "\n") {
		if !have[l] {
			return l
		}
	}
	return "(all of it)"
}

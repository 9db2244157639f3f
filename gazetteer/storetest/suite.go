package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
)

// Backend is a store implementation under test: how the suite opens it.
type Backend struct {
	// Open returns a new, empty store, closed when t ends.
	Open func(t testing.TB) *gazetteer.Store
	// Again returns a second store on the data s keeps, opened the way
	// another process would open it, closed when t ends.
	Again func(t testing.TB, s *gazetteer.Store) *gazetteer.Store
	// Restore backs s up (Store.Backup) and returns the store restored from
	// that backup, closed when t ends.
	Restore func(t testing.TB, s *gazetteer.Store) *gazetteer.Store
}

// Run runs the behaviour every store implementation must have: writes with
// revisions, validation that writes nothing, filters, events, optimistic
// concurrency, one transaction for a write and the domain tables beside it,
// audit, the change feed seen from another process, and positions that tell
// a restored backup apart.
func Run(t *testing.T, b Backend) {
	for _, c := range []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"PutGetDerives", testPutGetDerives},
		{"RevisionsAndUnchanged", testRevisionsAndUnchanged},
		{"BadInputNamesFileLineField", testBadInputNamesFileLineField},
		{"JSONLRoundTripIsByteIdentical", testJSONLRoundTripIsByteIdentical},
		{"Filters", testFilters},
		{"RenamingKeepsHistoryAndCancelKeepsRow", testRenamingKeepsHistoryAndCancelKeepsRow},
		{"StaleWriteIsAConflict", testStaleWriteIsAConflict},
		{"ConcurrentEditorsLoseNothing", testConcurrentEditorsLoseNothing},
		{"PlacementNamesWhatWasRead", testPlacementNamesWhatWasRead},
		{"BackupIsAConsistentCopy", testBackupIsAConsistentCopy},
		{"WatchersSeeCommittedWritesOnly", testWatchersSeeCommittedWritesOnly},
		{"AlsoRunsInTheSameTransaction", testAlsoRunsInTheSameTransaction},
		{"ChangedSinceSeesOtherConnections", testChangedSinceSeesOtherConnections},
		{"FeedHandsOnEveryWriteOnce", testFeedHandsOnEveryWriteOnce},
		{"ImportedTimesAreNormalised", testImportedTimesAreNormalised},
		{"PositionTellsRestoresAndOtherStoresApart", testPositionTellsRestoresAndOtherStoresApart},
		{"AuditCommitsWithTheWrite", testAuditCommitsWithTheWrite},
		{"PutAllStopsWhenCancelled", testPutAllStopsWhenCancelled},
		{"MatchLinksFollowsTheImport", testMatchLinksFollowsTheImport},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, b) })
	}
}

// Fixture is five records: three real points from OpenStreetMap
// (© OpenStreetMap contributors, ODbL 1.0, as given in the Suzhou OSM
// heritage places of the shared data), the city with a historical name and a
// community with its admin parents.
const Fixture = `{"id":1,"name":"北寺塔","category":{"class":"建筑物","subclass":"亭台碑塔"},"status":"current","admin":["3205","320508"],"coord":{"method":"osm","accuracy_m":100,"source":"osm"},"links":{"osm":"way/206076447"},"license":"ODbL-1.0","geometry":{"type":"Point","coordinates":[120.6154018,31.3245428]}}
{"id":2,"name":"盘门","category":{"class":"建筑物","subclass":"城墙堡"},"status":"current","admin":["3205","320508"],"heritage":[{"list":"苏州古城门","level":"city"}],"coord":{"method":"osm","accuracy_m":100,"source":"osm"},"links":{"osm":"way/685088107"},"license":"ODbL-1.0","geometry":{"type":"Point","coordinates":[120.6119542,31.2895554]}}
{"id":3,"name":"沧浪亭","category":{"class":"纪念地旅游景点","subclass":"公园风景区"},"status":"current","admin":["3205","320508"],"coord":{"method":"osm","accuracy_m":100,"source":"osm"},"links":{"osm":"way/492154541"},"license":"ODbL-1.0","geometry":{"type":"Point","coordinates":[120.6212804,31.2967053]}}
{"id":4,"name":"苏州市","category":{"class":"行政区域"},"status":"current","code":"3205","level":"prefecture","names":[{"text":"平江府","script":"hans","kind":"historical","start":"1113","end":"1367","citation":"《宋史·地理志》"}]}
{"id":5,"name":"山塘社区","category":{"class":"群众自治组织"},"status":"current","code":"320508003004","level":"village","admin":["3205","320508","320508003"]}
`

// Load writes records given as JSON Lines into s in one transaction.
func Load(t testing.TB, s *gazetteer.Store, jsonl string) *gazetteer.Report {
	t.Helper()
	in, err := gazetteer.ReadJSONL(strings.NewReader(jsonl), "fixture.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.PutAll(context.Background(), in, gazetteer.Change{Actor: "test", Reason: "fixture"}, gazetteer.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// A write made from a stale copy (it names the revision it read, which is
// no longer the stored one) is a conflict and loses nobody's change.
func testStaleWriteIsAConflict(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	p := &gazetteer.Place{ID: 7, Name: "宝带桥", Category: gazetteer.Category{Class: "交通运输设施"}}
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	read, _ := s.Get(ctx, 7)
	// Someone else writes after we read …
	other, _ := s.Get(ctx, 7)
	other.Desc = &gazetteer.Text{Text: "石拱桥", Source: "test"}
	if _, err := s.Put(ctx, other, gazetteer.Change{Actor: "other"}); err != nil {
		t.Fatal(err)
	}
	// … so our write, made from the stale copy, must not overwrite theirs.
	read.Status = gazetteer.StatusCancelled
	_, err := s.PutAll(ctx, []gazetteer.Input{{Place: read}}, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{IfUpdated: read.Updated})
	if gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Fatalf("stale write: %v", err)
	}
	got, _ := s.Get(ctx, 7)
	if got.Desc == nil || got.Status != gazetteer.StatusCurrent {
		t.Errorf("the other writer's change was lost: %+v", got)
	}
	fresh, _ := s.Get(ctx, 7)
	fresh.Status = gazetteer.StatusCancelled
	if _, err := s.PutAll(ctx, []gazetteer.Input{{Place: fresh}}, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{IfUpdated: fresh.Updated}); err != nil {
		t.Errorf("a write naming the current revision: %v", err)
	}
}

func testPutGetDerives(t *testing.T, b Backend) {
	s := b.Open(t)
	rep := Load(t, s, Fixture)
	if rep.Created != 5 {
		t.Fatalf("created %d, want 5", rep.Created)
	}
	p, err := s.Get(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Specific != "盘" || p.Generic != "门" || p.Pinyin != "Pán Mén" || p.Sign != "PAN MEN" {
		t.Errorf("derived fields: %q %q %q %q", p.Specific, p.Generic, p.Pinyin, p.Sign)
	}
	if p.Label == nil || *p.Label != (orb.Point{120.6119542, 31.2895554}) {
		t.Errorf("label point %v", p.Label)
	}
	if _, err := s.Get(context.Background(), 99); gazetteer.ErrorCode(err) != gazetteer.ENotFound {
		t.Errorf("missing place: %v", err)
	}
}

func testRevisionsAndUnchanged(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, Fixture)
	rep := Load(t, s, Fixture)
	if rep.Unchanged != 5 || rep.Created+rep.Updated != 0 {
		t.Fatalf("re-import: %+v", rep)
	}
	p, _ := s.Get(ctx, 3)
	p.Meaning = &gazetteer.Text{Text: "取《孟子》沧浪之水清兮之意", Source: "《沧浪亭记》(苏舜钦)"}
	if act, err := s.Put(ctx, p, gazetteer.Change{Actor: "officer", Reason: "add meaning"}); err != nil || act != gazetteer.Updated {
		t.Fatalf("put: %v %v", act, err)
	}
	revs, err := s.Revisions(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 {
		t.Fatalf("%d revisions, want 2", len(revs))
	}
	if string(revs[0].Before) != "null" || revs[1].Actor != "officer" || revs[1].Reason != "add meaning" {
		t.Errorf("revisions: %+v", revs)
	}
	var before, after gazetteer.Place
	json.Unmarshal(revs[1].Before, &before)
	json.Unmarshal(revs[1].After, &after)
	if before.Meaning != nil || after.Meaning == nil {
		t.Errorf("before/after do not show the change")
	}
}

func testBadInputNamesFileLineField(t *testing.T, b Backend) {
	good := strings.SplitN(Fixture, "\n", 2)[0]
	cases := []struct {
		name, line, want string
	}{
		{"broken JSON", `{"id":9,"name":`, "bad.jsonl:2"},
		{"invalid UTF-8", "{\"id\":9,\"name\":\"\xff\xfe\",\"category\":{\"class\":\"建筑物\"}}", "bad.jsonl:2: invalid UTF-8"},
		{"missing name", `{"id":9,"category":{"class":"建筑物"}}`, "bad.jsonl:2: name: missing name"},
		{"unknown category", `{"id":9,"name":"某桥","category":{"class":"桥"}}`, "bad.jsonl:2: category: unknown category"},
		{"out of range", `{"id":9,"name":"某桥","category":{"class":"交通运输设施"},"coord":{"method":"osm"},"geometry":{"type":"Point","coordinates":[200,31]}}`, "bad.jsonl:2: geometry.coordinates: coordinate 200,31 out of range"},
		{"self-intersecting", `{"id":9,"name":"某湖","category":{"class":"陆地水系"},"coord":{"method":"digitized","accuracy_m":5},"geometry":{"type":"Polygon","coordinates":[[[120,31],[121,32],[121,31],[120,32],[120,31]]]}}`, "polygon ring intersects itself"},
		{"unclosed ring", `{"id":9,"name":"某湖","category":{"class":"陆地水系"},"coord":{"method":"digitized","accuracy_m":5},"geometry":{"type":"Polygon","coordinates":[[[120,31],[121,32],[121,31],[120.5,31]]]}}`, "not closed"},
		{"geometry without source", `{"id":9,"name":"某桥","category":{"class":"交通运输设施"},"geometry":{"type":"Point","coordinates":[120.6,31.3]}}`, "coord.method"},
		{"estimate without accuracy", `{"id":9,"name":"某桥","category":{"class":"交通运输设施"},"coord":{"method":"estimated"},"geometry":{"type":"Point","coordinates":[120.6,31.3]}}`, "accuracy"},
		{"unknown field", `{"id":9,"name":"某桥","colour":"red","category":{"class":"交通运输设施"}}`, "bad.jsonl:2: colour: unknown field"},
		{"wrong type", `{"id":"nine","name":"某桥","category":{"class":"交通运输设施"}}`, "bad.jsonl:2: id: write a whole number here, not a string"},
		{"specific+generic mismatch", `{"id":9,"name":"宝带桥","specific":"宝带","generic":"路","category":{"class":"交通运输设施"}}`, "specific"},
		{"unknown name kind", `{"id":9,"name":"宝带桥","names":[{"text":"长桥","kind":"nickname"}],"category":{"class":"交通运输设施"}}`, "names[0].kind"},
		{"meaning without source", `{"id":9,"name":"宝带桥","meaning":{"text":"某义"},"category":{"class":"交通运输设施"}}`, "meaning.source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := b.Open(t)
			Load(t, s, Fixture)
			var before bytes.Buffer
			s.WriteJSONL(ctx, &before, gazetteer.ExportOptions{})
			in, err := gazetteer.ReadJSONL(strings.NewReader(good+"\n"+c.line+"\n"), "bad.jsonl")
			if err == nil {
				_, err = s.PutAll(ctx, in, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{})
			}
			if err == nil {
				t.Fatal("bad input accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
				t.Errorf("code %s, want invalid", gazetteer.ErrorCode(err))
			}
			var after bytes.Buffer
			s.WriteJSONL(ctx, &after, gazetteer.ExportOptions{})
			if !bytes.Equal(before.Bytes(), after.Bytes()) {
				t.Error("a failed import changed the store")
			}
		})
	}
}

func testJSONLRoundTripIsByteIdentical(t *testing.T, b Backend) {
	ctx := context.Background()
	a := b.Open(t)
	Load(t, a, Fixture)
	var first bytes.Buffer
	if _, err := a.WriteJSONL(ctx, &first, gazetteer.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	c := b.Open(t)
	in, err := gazetteer.ReadJSONL(bytes.NewReader(first.Bytes()), "export.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutAll(ctx, in, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	c.WriteJSONL(ctx, &second, gazetteer.ExportOptions{})
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", first.String(), second.String())
	}
}

func testFilters(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, Fixture)
	count := func(f gazetteer.Filter) int {
		n, err := s.Count(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	box := orb.Bound{Min: orb.Point{120.61, 31.32}, Max: orb.Point{120.62, 31.33}}
	if n := count(gazetteer.Filter{BBox: &box}); n != 1 {
		t.Errorf("bbox: %d, want 1 (北寺塔)", n)
	}
	if n := count(gazetteer.Filter{Admin: "320508003"}); n != 1 {
		t.Errorf("admin prefix: %d", n)
	}
	if n := count(gazetteer.Filter{Admin: "320508"}); n != 4 {
		t.Errorf("admin county: %d, want 4", n)
	}
	if n := count(gazetteer.Filter{Class: "城墙堡"}); n != 1 {
		t.Errorf("subclass: %d", n)
	}
	if n := count(gazetteer.Filter{Heritage: "*"}); n != 1 {
		t.Errorf("heritage: %d", n)
	}
	if n := count(gazetteer.Filter{MissingGeometry: true}); n != 2 {
		t.Errorf("missing geometry: %d", n)
	}
}

func testRenamingKeepsHistoryAndCancelKeepsRow(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, Fixture)
	p, err := s.ApplyEvent(ctx, 5, gazetteer.Event{Type: gazetteer.EventRenaming, To: "七里山塘社区", Date: "2024-03-01", Document: "苏府地名函〔2024〕1号"}, gazetteer.Change{Actor: "officer"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "七里山塘社区" || len(p.Names) != 1 || p.Names[0].Text != "山塘社区" || p.Names[0].Kind != gazetteer.KindHistorical || p.Names[0].End != "2024-03-01" {
		t.Errorf("renamed: %+v", p)
	}
	if _, err := s.ApplyEvent(ctx, 5, gazetteer.Event{Type: gazetteer.EventCancel, Date: "2025-01-01"}, gazetteer.Change{Actor: "officer"}); err != nil {
		t.Fatal(err)
	}
	q, err := s.Get(ctx, 5)
	if err != nil || q.Status != gazetteer.StatusCancelled || len(q.Events) != 2 {
		t.Fatalf("cancelled place: %+v %v", q, err)
	}
	if _, err := s.ApplyEvent(ctx, 5, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "officer"}); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Errorf("second cancel: %v", err)
	}
	revs, _ := s.Revisions(ctx, 5)
	if len(revs) != 3 {
		t.Errorf("%d revisions, want 3", len(revs))
	}
}

func testBackupIsAConsistentCopy(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, Fixture)
	r := b.Restore(t, s)
	if n, _ := r.Count(ctx, gazetteer.Filter{}); n != 5 {
		t.Errorf("backup has %d places", n)
	}
}

func testWatchersSeeCommittedWritesOnly(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	var seen []int64
	s.Watch(func(p *gazetteer.Place) { seen = append(seen, p.ID) })
	in, _ := gazetteer.ReadJSONL(strings.NewReader(Fixture), "f.jsonl")
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 0 {
		t.Fatalf("dry run notified %v", seen)
	}
	if n, _ := s.Count(ctx, gazetteer.Filter{}); n != 0 {
		t.Fatalf("dry run wrote %d places", n)
	}
	Load(t, s, Fixture)
	if len(seen) != 5 {
		t.Errorf("watchers saw %v", seen)
	}
}

// Also writes another domain table (here the audit log) in the write's
// transaction: both land or neither does.
func testAlsoRunsInTheSameTransaction(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	acc, err := account.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	audit := func(ctx context.Context, tx gazetteer.Tx, what string) error {
		return tx.(account.Tx).AppendAudit(ctx, "2025-01-01T00:00:00Z", gazetteer.AuditEntry{Actor: "t", Action: what})
	}
	entries := func() int {
		log, err := acc.AuditLog(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(log)
	}
	in, _ := gazetteer.ReadJSONL(strings.NewReader(Fixture), "f.jsonl")
	failing := gazetteer.PutOptions{Also: func(ctx context.Context, tx gazetteer.Tx, rep *gazetteer.Report) error {
		if err := audit(ctx, tx, "failing"); err != nil {
			return err
		}
		return gazetteer.Errorf(gazetteer.EConflict, "the other table refused")
	}}
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "t"}, failing); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Fatalf("err = %v", err)
	}
	head, _ := s.Head(ctx)
	if n, _ := s.Count(ctx, gazetteer.Filter{}); n+entries()+int(head.Revision) != 0 {
		t.Fatalf("a failed Also left places (%d), entries (%d) or revisions (%d) behind", n, entries(), head.Revision)
	}
	ok := gazetteer.PutOptions{Also: func(ctx context.Context, tx gazetteer.Tx, rep *gazetteer.Report) error {
		return audit(ctx, tx, "ok")
	}}
	if _, err := s.ApplyEventWith(ctx, 1, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "t"}, ok); gazetteer.ErrorCode(err) != gazetteer.ENotFound {
		t.Fatalf("event on a missing place: %v", err)
	}
	Load(t, s, Fixture)
	if _, err := s.ApplyEventWith(ctx, 1, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "t"}, ok); err != nil {
		t.Fatal(err)
	}
	if n := entries(); n != 1 {
		t.Errorf("Also ran %d times", n)
	}
}

func testChangedSinceSeesOtherConnections(t *testing.T, b Backend) {
	ctx := context.Background()
	a := b.Open(t)
	ids, last, err := a.ChangedSince(ctx, 0)
	if err != nil || len(ids) != 0 || last != 0 {
		t.Fatalf("empty store: %v %d %v", ids, last, err)
	}
	other := b.Again(t, a) // another writer, as a CLI import would be
	Load(t, other, Fixture)
	ids, last, err = a.ChangedSince(ctx, 0)
	if err != nil || len(ids) != 5 || last != 5 {
		t.Fatalf("after import: %v %d %v", ids, last, err)
	}
	if _, err := other.ApplyEvent(ctx, 3, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	ids, last2, _ := a.ChangedSince(ctx, last)
	if len(ids) != 1 || ids[0] != 3 || last2 != last+1 {
		t.Errorf("after one event: %v %d", ids, last2)
	}
}

// The change feed hands every write on once, in order: one through this
// store before it returns, one by another process when Follow polls.
func testFeedHandsOnEveryWriteOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	var mu sync.Mutex
	var steps []gazetteer.Changes
	if err := s.Subscribe(ctx, func(_ context.Context, c gazetteer.Changes) {
		mu.Lock()
		steps = append(steps, c)
		mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	seen := func() (n int, last gazetteer.Changes) {
		mu.Lock()
		defer mu.Unlock()
		if len(steps) > 0 {
			last = steps[len(steps)-1]
		}
		return len(steps), last
	}
	Load(t, s, Fixture)
	n, c := seen()
	if n != 1 || len(c.Places) != 5 || c.From.Revision != 0 || c.To.Revision != 5 {
		t.Fatalf("after a write through the store: %d steps, the last %+v", n, c)
	}
	fctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		s.Follow(fctx, 10*time.Millisecond, func(err error) { t.Errorf("follow: %v", err) })
		close(done)
	}()
	defer func() { stop(); <-done }()
	other := b.Again(t, s)
	if _, err := other.ApplyEvent(ctx, 3, gazetteer.Event{Type: gazetteer.EventCancel}, gazetteer.Change{Actor: "other"}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if n, _ = seen(); n > 1 {
			break
		}
	}
	time.Sleep(50 * time.Millisecond) // a second hand-over of it would come now
	n, c = seen()
	if n != 2 || len(c.Places) != 1 || c.Places[0].ID != 3 || c.Places[0].Status != gazetteer.StatusCancelled || c.From.Revision != 5 || c.To.Revision != 6 {
		t.Errorf("after a write by another process: %d steps, the last %+v", n, c)
	}
	if _, err := s.PutAll(ctx, nil, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if n, _ = seen(); n != 2 {
		t.Errorf("a write of nothing was handed on (%d steps)", n)
	}
}

func testImportedTimesAreNormalised(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, `{"id":8,"name":"枫桥","category":{"class":"交通运输设施"},"status":"current","updated":"2026-01-02T10:00:00+08:00"}`)
	p, _ := s.Get(ctx, 8)
	if p.Updated != "2026-01-02T02:00:00.000000000Z" {
		t.Errorf("updated stored as %q", p.Updated)
	}
	in, _ := gazetteer.ReadJSONL(strings.NewReader(`{"id":9,"name":"枫桥","category":{"class":"交通运输设施"},"updated":"yesterday"}`), "t.jsonl")
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "t"}, gazetteer.PutOptions{}); err == nil || !strings.Contains(err.Error(), "t.jsonl:1: updated") {
		t.Errorf("bad time: %v", err)
	}
	since, _ := time.Parse(time.RFC3339, "2026-01-02T01:59:59Z")
	if n, _ := s.Count(ctx, gazetteer.Filter{ChangedSince: since}); n != 1 {
		t.Errorf("changed since: %d", n)
	}
}

// A derived view's saved position tells the store it follows from a restored
// backup of it and from another store.
func testPositionTellsRestoresAndOtherStoresApart(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	empty, err := s.Head(ctx)
	if err != nil || empty.Store == "" || empty.Revision != 0 {
		t.Fatalf("head of an empty store: %+v %v", empty, err)
	}
	Load(t, s, Fixture)
	built, _ := s.Head(ctx)
	if built.Revision != 5 || built.Checksum == "" || built.Store != empty.Store {
		t.Fatalf("head after five creations: %+v", built)
	}
	r := b.Restore(t, s)
	p, _ := s.Get(ctx, 3)
	p.Rank = 42
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	ids, to, err := s.ChangesSince(ctx, built)
	if err != nil || !reflect.DeepEqual(ids, []int64{3}) || to.Revision != 6 {
		t.Fatalf("changes since the build: %v %+v %v", ids, to, err)
	}
	if ids, same, err := s.ChangesSince(ctx, to); err != nil || len(ids) != 0 || same != to {
		t.Errorf("changes since the head: %v %+v %v", ids, same, err)
	}

	// The backup is the same store at revision 5; a view at 6 is ahead of
	// it, and after another write there revision 6 exists but is not the
	// revision the view applied.
	if ok, _ := r.Contains(ctx, built); !ok {
		t.Error("a backup does not contain the position it was taken at")
	}
	if ok, _ := r.Contains(ctx, to); ok {
		t.Error("a backup contains a revision made after it")
	}
	q, _ := r.Get(ctx, 1)
	q.Rank = 7
	if _, err := r.Put(ctx, q, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.ChangesSince(ctx, to); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Errorf("a restored store that wrote another revision 6: %v, want a conflict", err)
	}

	other := b.Open(t)
	Load(t, other, Fixture)
	if h, _ := other.Head(ctx); h.Store == built.Store {
		t.Error("two stores share an id")
	}
	if ok, _ := other.Contains(ctx, built); ok {
		t.Error("another store with the same records contains this store's position")
	}
}

// An audited write and its audit entry commit together: the entry sees the
// ids the write assigned, and when the entry cannot be written the write is
// rolled back.
func testAuditCommitsWithTheWrite(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	p := &gazetteer.Place{Name: "吴门桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"}}
	actx := gazetteer.WithAudit(ctx, func() gazetteer.AuditEntry {
		return gazetteer.AuditEntry{Actor: "test", Action: "place.create", Object: "place " + strconv.FormatInt(p.ID, 10)}
	})
	if _, err := s.Put(actx, p, gazetteer.Change{Actor: "test"}); err == nil {
		t.Fatal("an audited write was committed with no audit log open")
	}
	if n, _ := s.Count(ctx, gazetteer.Filter{}); n != 0 {
		t.Fatalf("the refused write left %d places", n)
	}
	acc, err := account.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	fail := false
	s.SetAuditLog(func(ctx context.Context, tx gazetteer.Tx, e gazetteer.AuditEntry) error {
		if fail {
			return errors.New("disk full")
		}
		return tx.(account.Tx).AppendAudit(ctx, "2025-01-01T00:00:00Z", e)
	})
	if _, err := s.Put(actx, p, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	log, err := acc.AuditLog(ctx, 10)
	if err != nil || len(log) != 1 || log[0].Object != "place "+strconv.FormatInt(p.ID, 10) || p.ID == 0 {
		t.Errorf("audit log %+v (%v) for place %d", log, err, p.ID)
	}
	fail = true
	q := &gazetteer.Place{Name: "觅渡桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"}}
	if _, err := s.Put(actx, q, gazetteer.Change{Actor: "test"}); err == nil {
		t.Fatal("a write whose audit entry failed was committed")
	}
	if n, _ := s.Count(ctx, gazetteer.Filter{}); n != 1 {
		t.Errorf("%d places after a failed audit, want 1", n)
	}
	// An unaudited context writes no entry.
	fail = false
	if _, err := s.Put(ctx, q, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if log, _ := acc.AuditLog(ctx, 10); len(log) != 1 {
		t.Errorf("%d audit entries, want 1", len(log))
	}
}

// An import whose context ends (SIGTERM) stops and writes nothing.
func testPutAllStopsWhenCancelled(t *testing.T, b Backend) {
	s := b.Open(t)
	in, err := gazetteer.ReadJSONL(strings.NewReader(Fixture), "fixture.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err = s.PutAll(ctx, in, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{Progress: func(int) {
		if n++; n == 2 {
			cancel()
		}
	}})
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled import: %v", err)
	}
	if c, _ := s.Count(context.Background(), gazetteer.Filter{}); c != 0 {
		t.Errorf("a cancelled import left %d places", c)
	}
}

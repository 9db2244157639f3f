package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/postgres/pgtest"
	"wumen/gazetteer/storetest"
)

// TestReplicaFollowsThePrimary: a store opened on a streaming replica reads
// what the primary holds, sees each new write (its Version moves, the feed
// hands the changed place on) within a second of the commit, counts no
// page views and refuses writes with a message that says where to write.
func TestReplicaFollowsThePrimary(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	primary := open(t, url)
	storetest.Load(t, primary, storetest.Fixture)
	replica := open(t, pgtest.Replica(t, url))
	if primary.ReadOnly() || !replica.ReadOnly() {
		t.Fatalf("read-only: primary %v, replica %v", primary.ReadOnly(), replica.ReadOnly())
	}
	var got *gazetteer.Place
	for end := time.Now().Add(10 * time.Second); got == nil && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		got, _ = replica.Get(ctx, 2)
	}
	if got == nil || got.Name != "盘门" {
		t.Fatalf("the replica never had the primary's places: %+v", got)
	}

	var fed []int64
	if err := replica.Subscribe(ctx, func(_ context.Context, c gazetteer.Changes) {
		for _, p := range c.Places {
			fed = append(fed, p.ID)
		}
	}); err != nil {
		t.Fatal(err)
	}
	fctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { replica.Follow(fctx, 20*time.Millisecond, func(err error) { t.Error(err) }); close(done) }()
	defer func() { stop(); <-done }()
	time.Sleep(300 * time.Millisecond) // the feed's first step
	before := replica.Version()
	p, _ := primary.Get(ctx, 2)
	p.Desc = &gazetteer.Text{Text: "苏州古城西南的水陆城门", Source: "test"}
	if _, err := primary.Put(ctx, p, gazetteer.Change{Actor: "officer"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for replica.Version() == before || len(fed) == 0 {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("the replica's store did not follow the write (version %d → %d, fed %v)", before, replica.Version(), fed)
		}
		time.Sleep(5 * time.Millisecond)
	}
	lag := time.Since(start)
	if lag > time.Second {
		t.Errorf("the replica followed the write after %v, want within 1 s", lag)
	}
	if r, _ := replica.Get(ctx, 2); r.Desc == nil || fed[0] != 2 {
		t.Errorf("the replica's copy after the write: %+v, fed %v", r.Desc, fed)
	}
	t.Logf("the replica's feed handed the write on %v after the commit", lag)

	r, _ := replica.Get(ctx, 3)
	r.Status = gazetteer.StatusCancelled
	_, err := replica.Put(ctx, r, gazetteer.Change{Actor: "officer"})
	if gazetteer.ErrorCode(err) != gazetteer.EUnavailable || !strings.Contains(gazetteer.ErrorMessage(err), "primary") {
		t.Errorf("a write on the replica: %v", err)
	}
	replica.Viewed(3)
	if err := replica.Close(); err != nil {
		t.Errorf("closing the replica with a counted view: %v", err)
	}
}

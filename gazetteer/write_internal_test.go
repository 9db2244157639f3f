package gazetteer

import (
	"context"
	"path/filepath"
	"testing"
)

func TestStaleWriteIsAConflict(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := &Place{ID: 7, Name: "宝带桥", Category: Category{Class: "交通运输设施"}}
	if _, err := s.Put(ctx, p, Change{Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	read, _ := s.Get(ctx, 7)
	// Someone else writes after we read …
	other, _ := s.Get(ctx, 7)
	other.Desc = &Text{Text: "石拱桥", Source: "test"}
	if _, err := s.Put(ctx, other, Change{Actor: "other"}); err != nil {
		t.Fatal(err)
	}
	// … so our write, made from the stale copy, must not overwrite theirs.
	read.Status = StatusCancelled
	_, err = s.PutAll(ctx, []Input{{Place: read}}, Change{Actor: "t"}, PutOptions{ifUpdated: read.Updated})
	if ErrorCode(err) != EConflict {
		t.Fatalf("stale write: %v", err)
	}
	got, _ := s.Get(ctx, 7)
	if got.Desc == nil || got.Status != StatusCurrent {
		t.Errorf("the other writer's change was lost: %+v", got)
	}
}

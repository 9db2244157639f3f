package site

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"wumen/site/internal/icon"
)

// TestAppIconsCurrent holds the committed PNG icons of the web app manifest
// to what package icon draws (go generate ./site writes them), at the
// sizes the manifest lists.
func TestAppIconsCurrent(t *testing.T) {
	for _, n := range icon.Sizes {
		name := filepath.Join("static", "img", fmt.Sprintf("icon-%d.png", n))
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, icon.PNG(n)) {
			t.Errorf("%s is not what package icon draws: run go generate ./site", name)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := img.Bounds().Size(); s.X != n || s.Y != n {
			t.Errorf("%s is %v pixels, want %d×%d", name, s, n, n)
		}
	}
}

// TestOfflinePagePaths: the pages saved for offline use are the entry
// pages, the walks, and the places that are not administrative units or
// are stops of a walk — not the 2,361 districts, towns and villages.
func TestOfflinePagePaths(t *testing.T) {
	s := newServer(t, nil)
	ctx := context.Background()
	cat, err := s.catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	walks, err := s.store.Walks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ps := offlinePagePaths(cat, walks)
	for _, want := range []string{"/", "/search", "/map", "/offline", "/walk/qili-shantang", "/place/51/shantang-jie", "/place/1000/zhuozheng-yuan"} {
		if !slices.Contains(ps, want) {
			t.Errorf("%s is not saved for offline use", want)
		}
	}
	stops := map[int64]bool{}
	for _, w := range walks {
		for _, st := range w.Stops {
			stops[st.Place] = true
		}
	}
	places, admin := 0, 0
	for _, e := range cat.Entries {
		saved := slices.Contains(ps, e.Path)
		if saved {
			places++
		}
		if adminClasses[e.Class] {
			admin++
			if saved != stops[e.ID] {
				t.Errorf("%s (%s, a walk stop: %v) saved: %v", e.Path, e.Class, stops[e.ID], saved)
			}
		} else if !saved {
			t.Errorf("%s (%s) is not saved", e.Path, e.Class)
		}
	}
	t.Logf("%d pages saved, %d of them places; %d administrative units", len(ps), places, admin)
	if admin < 2000 || places > 400 {
		t.Errorf("%d place pages saved, %d administrative units left out: want the Wu-culture places, not the villages", places, admin)
	}
}

package search

import (
	"bufio"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"wumen/gazetteer"
)

// loadPlaces reads the test dataset.
func loadPlaces(t testing.TB) []*gazetteer.Place {
	f, err := os.Open("testdata/places.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ps []*gazetteer.Place
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		p := new(gazetteer.Place)
		if err := json.Unmarshal(sc.Bytes(), p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func eachOf(ps []*gazetteer.Place) func(func(*gazetteer.Place) error) error {
	return func(f func(*gazetteer.Place) error) error {
		for _, p := range ps {
			if err := f(p); err != nil {
				return err
			}
		}
		return nil
	}
}

var (
	sharedOnce  sync.Once
	sharedIndex *Index
	sharedErr   error
	sharedDir   string
)

// testIndex is one index of the test dataset shared by read-only tests.
func testIndex(t testing.TB) *Index {
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "wumen-search-")
		if sharedErr == nil {
			sharedIndex, sharedErr = Build(sharedDir+"/ix", eachOf(loadPlaces(t)))
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedIndex
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedIndex != nil {
		sharedIndex.Close()
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

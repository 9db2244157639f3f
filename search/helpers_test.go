package search

import (
	"bufio"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"wumen/data"
	"wumen/gazetteer"
)

// loadPlaces reads the shipped dataset (wumen/data), every place file.
func loadPlaces(t testing.TB) []*gazetteer.Place {
	var ps []*gazetteer.Place
	for _, name := range []string{"heritage.jsonl", "culture.jsonl", "admin.jsonl"} {
		f, err := data.FS.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			p := new(gazetteer.Place)
			if err := json.Unmarshal(sc.Bytes(), p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			ps = append(ps, p)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
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

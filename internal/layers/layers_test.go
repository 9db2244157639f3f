package layers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// layers are the rooms of the module from the bottom up: a package may
// import packages of its own layer or of a lower one, never of a higher
// one, and the rooms may not import each other round in a circle (which Go
// allows between packages of different folders as long as no package
// imports itself: a cycle in the making). A room is a package path and the
// packages under it that no other room names (the longest prefix wins).
// docs/layers.md says why each room stands where it does.
var layers = []struct {
	name  string
	rooms []string
}{
	{"libraries: geometry, formats' codecs, scripts, embedded data", []string{
		"geo", "gazetteer/romanize", "gazetteer/script", "data", "data/basemap",
		"search/relevance", "site/clientaddr", "site/ogc/cql2", "internal/layers",
		"gazetteer/postgres/pgtest", "site/internal/browsertest",
	}},
	{"the domain: places, names, revisions, the store's interfaces", []string{
		"gazetteer", "gazetteer/english",
	}},
	{"domain services over the store", []string{
		"gazetteer/account", "gazetteer/review", "gazetteer/census", "gazetteer/osmimport",
		"gazetteer/tileset", "gazetteer/export",
	}},
	{"backends, the format registry, search", []string{
		"gazetteer/sqlite", "gazetteer/postgres", "gazetteer/formats", "search",
		"gazetteer/review/reviewtest", "gazetteer/tileset/osmbasemap",
	}},
	{"over the backends: a store by its target, test suites", []string{
		"gazetteer/stores", "gazetteer/storetest", "site/internal/seeded",
	}},
	{"the web: the site and the services it mounts", []string{
		"site", "site/jsonapi", "site/ogc", "site/reconcile", "site/officer",
	}},
	{"commands and generators", []string{
		"cmd", "data/internal/gen", "data/basemap/internal/gen", "gazetteer/romanize/internal/genreadings",
	}},
}

const module = "wumen"

// pkg is what go list says of one package.
type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Error      *struct{ Err string }
	DepsErrors []*struct{ Err string }
}

// graph runs go list over the module: every package with its imports (not
// its tests').
func graph(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-e", "-json=ImportPath,Standard,Imports,Error,DepsErrors", "./...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var ps []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.ImportPath == module || strings.HasPrefix(p.ImportPath, module+"/") {
			ps = append(ps, p)
		}
	}
	return ps
}

// room is the room of a package path (without the module), and its layer.
func room(path string) (string, int) {
	best, layer := "", -1
	for i, l := range layers {
		for _, r := range l.rooms {
			if (path == r || strings.HasPrefix(path, r+"/")) && len(r) > len(best) {
				best, layer = r, i
			}
		}
	}
	return best, layer
}

func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

func TestImportsGoDownTheLayers(t *testing.T) {
	ps := graph(t)
	if len(ps) < 20 {
		t.Fatalf("go list found %d packages of the module", len(ps))
	}
	edges := map[string]map[string][]string{} // room → rooms it imports → by which package imports
	for _, p := range ps {
		if p.Error != nil {
			t.Errorf("%s: %s", p.ImportPath, p.Error.Err) // an import cycle among packages is reported here
		}
		for _, e := range p.DepsErrors {
			t.Errorf("%s: %s", p.ImportPath, e.Err)
		}
		from, fl := room(rel(p.ImportPath))
		if fl < 0 {
			t.Errorf("%s is in no layer: add its folder to the table in internal/layers/layers_test.go and docs/layers.md", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			to, tl := room(rel(imp))
			if tl < 0 || to == from {
				continue // reported as its own package
			}
			if tl > fl {
				t.Errorf("%s (layer %d, %s) imports %s (layer %d, %s): a lower layer may not import a higher one",
					p.ImportPath, fl, layers[fl].name, imp, tl, layers[tl].name)
			}
			if edges[from] == nil {
				edges[from] = map[string][]string{}
			}
			edges[from][to] = append(edges[from][to], rel(p.ImportPath)+" → "+rel(imp))
		}
	}
	if c := roomCycle(edges); c != nil {
		var b strings.Builder
		for i := 0; i+1 < len(c); i++ {
			fmt.Fprintf(&b, "\n  %s → %s (%s)", c[i], c[i+1], strings.Join(edges[c[i]][c[i+1]], ", "))
		}
		t.Errorf("rooms import each other in a circle:%s", b.String())
	}
}

// roomCycle returns a circle of rooms (the first room again at the end), or
// nil when there is none.
func roomCycle(edges map[string]map[string][]string) []string {
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var stack, found []string
	var visit func(r string) bool
	visit = func(r string) bool {
		state[r] = open
		stack = append(stack, r)
		tos := make([]string, 0, len(edges[r]))
		for to := range edges[r] {
			tos = append(tos, to)
		}
		slices.Sort(tos)
		for _, to := range tos {
			switch state[to] {
			case open:
				i := slices.Index(stack, to)
				found = append(slices.Clone(stack[i:]), to)
				return true
			case unseen:
				if visit(to) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[r] = done
		return false
	}
	rooms := make([]string, 0, len(edges))
	for r := range edges {
		rooms = append(rooms, r)
	}
	slices.Sort(rooms)
	for _, r := range rooms {
		if state[r] == unseen && visit(r) {
			return found
		}
	}
	return nil
}

// TestRoomCycleFindsACircle holds the circle finder to a made-up graph, so
// that the layering test cannot pass for want of looking.
func TestRoomCycleFindsACircle(t *testing.T) {
	e := map[string]map[string][]string{"a": {"b": nil}, "b": {"c": nil}, "c": {"a": nil}, "d": {"a": nil}}
	if c := roomCycle(e); !slices.Equal(c, []string{"a", "b", "c", "a"}) {
		t.Errorf("circle a → b → c → a: found %v", c)
	}
	delete(e["c"], "a")
	if c := roomCycle(e); c != nil {
		t.Errorf("no circle: found %v", c)
	}
	if r, l := room("gazetteer/sqlite"); r != "gazetteer/sqlite" || l != 3 {
		t.Errorf("gazetteer/sqlite is room %q of layer %d", r, l)
	}
	if r, l := room("geo/osm/osmtest"); r != "geo" || l != 0 {
		t.Errorf("geo/osm/osmtest is room %q of layer %d", r, l)
	}
}

// maxSearchLines bounds every Go file of the search package and those under
// it (issue 19: the index split by job, no file over about 600 lines).
const maxSearchLines = 600

func TestSearchFilesShort(t *testing.T) {
	root := filepath.Join("..", "..", "search")
	n := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		lines := 0
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			lines++
		}
		if lines > maxSearchLines {
			t.Errorf("%s has %d lines (at most %d: split it by job)", filepath.ToSlash(path[len("../../"):]), lines, maxSearchLines)
		}
		n++
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("found %d Go files under %s", n, root)
	}
}

// sqlUsers are the packages that may import database/sql: the stores, and
// the GeoPackage codec (a GeoPackage is a SQLite file). The domain and
// everything built on it reach the store through gazetteer's interfaces.
var sqlUsers = []string{"gazetteer/sqlite", "gazetteer/postgres", "geo/gpkg", "gazetteer/export"}

func TestSQLOnlyInTheStores(t *testing.T) {
	for _, p := range graph(t) {
		path := rel(p.ImportPath)
		if slices.Contains(p.Imports, "database/sql") && !slices.ContainsFunc(sqlUsers, func(r string) bool { return path == r || strings.HasPrefix(path, r+"/") }) {
			t.Errorf("%s imports database/sql: SQL belongs in gazetteer/sqlite or gazetteer/postgres, behind an interface of gazetteer", p.ImportPath)
		}
	}
}

package osmtest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Generate writes a synthetic extract of about n nodes as OSM XML to name,
// shaped like a city's: four in five nodes outline untagged-name buildings,
// the rest are streets of 20 nodes (one in four named, so the same name
// recurs along a street of several ways), canals and a few named points,
// on a grid around Suzhou's old city. It is benchmark input, not data: the
// shapes are generated, no coordinate is a place's.
func Generate(name string, n int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintln(w, `<osm version="0.6" generator="wumen osmtest.Generate (synthetic benchmark extract)">`)
	const lon0, lat0 = 120.55, 31.25
	// Nodes first, laid out block by block: a block is a street of 20
	// nodes and 16 buildings of 5 nodes (4 corners and the closing
	// reference reuse the first), i.e. 84 nodes a block.
	blocks := n / 84
	id := int64(1)
	for b := 0; b < blocks; b++ {
		bx, by := float64(b%300)*0.0004, float64(b/300)*0.0004
		for k := 0; k < 20; k++ {
			fmt.Fprintf(w, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", id, lat0+by, lon0+bx+float64(k)*0.00002)
			id++
		}
		for h := 0; h < 16; h++ {
			x, y := lon0+bx+float64(h)*0.000025, lat0+by+0.0001
			for _, d := range [][2]float64{{0, 0}, {0.00002, 0}, {0.00002, 0.00002}, {0, 0.00002}} {
				fmt.Fprintf(w, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", id, y+d[1], x+d[0])
				id++
			}
			if h == 0 && b%50 == 0 { // a named point now and then
				fmt.Fprintf(w, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"><tag k=\"historic\" v=\"memorial\"/><tag k=\"name\" v=\"纪念碑%d\"/></node>\n", id, y, x, b)
				id++
			}
		}
	}
	// Ways: the street of each block (named per row of 10 blocks, so ten
	// ways share a name), and the buildings.
	wid := int64(1)
	nid := int64(1)
	for b := 0; b < blocks; b++ {
		fmt.Fprintf(w, " <way id=\"%d\" version=\"1\">\n", wid)
		for k := 0; k < 20; k++ {
			fmt.Fprintf(w, "  <nd ref=\"%d\"/>\n", nid+int64(k))
		}
		fmt.Fprintf(w, "  <tag k=\"highway\" v=\"residential\"/>\n")
		if (b/10)%4 == 0 {
			fmt.Fprintf(w, "  <tag k=\"name\" v=\"合成巷%d\"/>\n", b/10)
		}
		fmt.Fprintln(w, " </way>")
		wid++
		nid += 20
		for h := 0; h < 16; h++ {
			fmt.Fprintf(w, " <way id=\"%d\" version=\"1\">\n", wid)
			for _, k := range []int64{0, 1, 2, 3, 0} {
				fmt.Fprintf(w, "  <nd ref=\"%d\"/>\n", nid+k)
			}
			fmt.Fprintln(w, "  <tag k=\"building\" v=\"yes\"/>\n </way>")
			wid++
			nid += 4
			if h == 0 && b%50 == 0 {
				nid++
			}
		}
	}
	fmt.Fprintln(w, "</osm>")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// GeneratePBF writes the synthetic extract of about n nodes as PBF (XML
// converted with osmium-tool) into dir and returns its name.
func GeneratePBF(tb testing.TB, dir string, n int) string {
	tb.Helper()
	xml := fmt.Sprintf("%s/synthetic-%d.osm", dir, n)
	pbf := xml + ".pbf"
	if _, err := os.Stat(pbf); err == nil {
		return pbf
	}
	if err := Generate(xml, n); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command("osmium", "cat", "--overwrite", xml, "-o", pbf).CombinedOutput(); err != nil {
		tb.Fatalf("osmium cat: %v\n%s", err, out)
	}
	os.Remove(xml)
	return pbf
}

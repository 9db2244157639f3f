// Package export maps gazetteer places onto the GIS formats the geo
// packages write and read: GeoPackage layers with related name and event
// tables (geo/gpkg), KML (geo/kml), Linked Places JSON-LD and LP-TSV for the
// World Historical Gazetteer, and vector-tile features for the map and
// PMTiles archives (geo/pmtiles). It also reads GeoPackage and Linked Places
// back into gazetteer.Input records, so imports reuse the store's
// validation, transactions and error reports.
//
// Every export streams from Store.Each (bounded memory), carries
// gazetteer.Attribution and states its coordinate reference system wherever
// the format has room for it. Coordinates are stored in WGS84 and converted
// at the edge (docs/domain.md §7).
package export

import (
	"context"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/geo"
)

// crsOf returns the export CRS with the zero value meaning WGS84.
func crsOf(c geo.CRS) geo.CRS {
	if c == 0 {
		return geo.WGS84
	}
	return c
}

// CRSLabel describes a CRS for a file's metadata: the EPSG code where there
// is one, and a plain warning for the offset systems that have none.
func CRSLabel(c geo.CRS) string {
	switch crsOf(c) {
	case geo.WGS84:
		return "WGS 84 (EPSG:4326), longitude/latitude in degrees"
	case geo.CGCS2000:
		return "CGCS2000 (EPSG:4490), longitude/latitude in degrees"
	case geo.GCJ02:
		return "GCJ-02, offset from WGS84; not an EPSG CRS (the datum of Amap and Tencent maps)"
	case geo.BD09:
		return "BD-09, Baidu's offset on GCJ-02; not an EPSG CRS"
	}
	return c.String()
}

// project returns g in the export CRS (a copy; WGS84 and CGCS2000 are the
// stored values, docs/domain.md §7).
func project(g orb.Geometry, c geo.CRS) orb.Geometry { return geo.FromWGS84(g, c) }

// unproject converts g from c to WGS84 for storage (a copy).
func unproject(g orb.Geometry, c geo.CRS) orb.Geometry { return geo.ToWGS84(g, c) }

// each streams the filtered places, counting them and reporting progress.
func each(ctx context.Context, s *gazetteer.Store, o gazetteer.ExportOptions, fn func(*gazetteer.Place) error) (int, error) {
	n := 0
	err := s.Each(ctx, o.Filter, func(p *gazetteer.Place) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return fmt.Errorf("place %d (%s): %w", p.ID, p.Name, err)
		}
		n++
		if o.Progress != nil {
			o.Progress(n)
		}
		return nil
	})
	return n, err
}

// joinList joins a list for one text column ("|" as the CSV export does).
func joinList(xs []string) string { return strings.Join(xs, "|") }

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

func heritageLists(p *gazetteer.Place) []string {
	var out []string
	for _, h := range p.Heritage {
		out = append(out, h.List)
	}
	return out
}

func text(t *gazetteer.Text) string {
	if t == nil {
		return ""
	}
	return t.Text
}

package census

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/geo"
	"wumen/geo/shp"
)

// OpenShapefile opens a census layer: its attribute table is read like a
// census table (the same column names, DBF field names being ≤ 10 bytes:
// 标准名称, 地名类别, 所在行政区 …), its shapes are the records' geometry, and
// its .prj says the CRS (CGCS2000 or WGS84 geographic; without a .prj the
// census's CGCS2000 is taken unless the import declares another).
func OpenShapefile(path string, o Options) (*Table, error) {
	r, err := shp.Open(path)
	if err != nil {
		return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: o.Name, Message: err.Error()}
	}
	crs, crsNote, err := prjCRS(r.PRJ, o.CRS)
	if err != nil {
		r.Close()
		return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: strings.TrimSuffix(o.Name, filepath.Ext(o.Name)) + ".prj", Message: err.Error()}
	}
	names := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		names[i] = f.Name
	}
	h, err := mapHeader(names, o.Columns)
	if err != nil {
		r.Close()
		return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: o.Name + ": attribute table", Message: err.Error()}
	}
	if _, ok := h.col["name"]; !ok {
		r.Close()
		return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: o.Name + ": attribute table",
			Message: fmt.Sprintf("no name field (标准名称, 名称 or name) among %s; map the fields with --columns", strings.Join(names, ", "))}
	}
	o.encoding = strings.Fields(r.Encoding)[0]
	t := &Table{Encoding: r.Encoding + "; " + crsNote, opts: o, h: h, crs: crs, unit: "feature", close: r.Close}
	var g orb.Geometry
	t.geom = func() orb.Geometry { return g }
	t.next = func() ([]string, int, error) {
		f, err := r.Next()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		var fe *shp.FeatureError
		if errors.As(err, &fe) {
			return nil, fe.Feature, errors.New(fe.Message)
		} else if err != nil {
			return nil, 0, err
		}
		g = f.Geometry
		return f.Attrs, f.Index + 1, nil
	}
	return t, nil
}

// prjCRS reads a .prj's WKT: geographic CGCS2000 or WGS84 are read; a
// projected CRS (Gauss-Krüger zones, Web Mercator) or another datum is an
// error saying how to convert the layer.
func prjCRS(wkt string, declared geo.CRS) (geo.CRS, string, error) {
	if wkt == "" {
		if declared != 0 {
			return declared, "no .prj; coordinates taken as " + declared.String() + " as declared", nil
		}
		return geo.CGCS2000, "no .prj; coordinates taken as CGCS2000 (the census's)", nil
	}
	k := strings.ToLower(wkt)
	const fix = "; convert it with: ogr2ogr -t_srs EPSG:4490 out.shp in.shp"
	if strings.HasPrefix(k, "projcs") || strings.HasPrefix(k, "projcrs") {
		return 0, "", fmt.Errorf("the layer is in a projected CRS (%s), not longitude/latitude%s", wktName(wkt), fix)
	}
	var crs geo.CRS
	switch {
	case strings.Contains(k, "gcj-02") || strings.Contains(k, "gcj02"):
		crs = geo.GCJ02 // Wumen's own .prj of the offset (no EPSG code)
	case strings.Contains(k, "bd-09") || strings.Contains(k, "bd09"):
		crs = geo.BD09
	case strings.Contains(k, "china_geodetic_coordinate_system_2000") || strings.Contains(k, "china geodetic coordinate system 2000") ||
		strings.Contains(k, "cgcs2000") || strings.Contains(k, "china_2000"):
		crs = geo.CGCS2000
	case strings.Contains(k, "wgs_1984") || strings.Contains(k, "wgs 84") || strings.Contains(k, "wgs84"):
		crs = geo.WGS84
	default:
		return 0, "", fmt.Errorf("the layer's CRS %s is not read (CGCS2000 or WGS84 longitude/latitude are)%s", wktName(wkt), fix)
	}
	if declared != 0 && declared != crs && !(sameDatum(declared) && sameDatum(crs)) {
		return 0, "", fmt.Errorf("the .prj says %s, but the import was told %s", crs, declared)
	}
	return crs, "CRS " + crs.String() + " (.prj)", nil
}

// wktName returns the quoted name at the start of a WKT definition.
func wktName(wkt string) string {
	if i := strings.IndexByte(wkt, '"'); i >= 0 {
		if j := strings.IndexByte(wkt[i+1:], '"'); j >= 0 {
			return wkt[i+1 : i+1+j]
		}
	}
	return "(unnamed)"
}

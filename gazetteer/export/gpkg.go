package export

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/geo"
	"wumen/geo/gpkg"
)

// GeoPackage layer and table names.
const (
	LayerPoint      = "places_point"      // POINT
	LayerLine       = "places_line"       // MULTILINESTRING (lines and multi-lines)
	LayerPolygon    = "places_polygon"    // MULTIPOLYGON (polygons and multi-polygons)
	LayerMultiPoint = "places_multipoint" // MULTIPOINT, created only when needed
	TableNoGeometry = "places_nogeom"     // attributes: places awaiting a position
	TableNames      = "place_names"       // attributes: every name, place_id → places
	TableEvents     = "place_events"      // attributes: 命名/更名/注销/起止点调整, place_id → places
)

// SRS ids of the offset systems, which have no EPSG code. They are written
// as custom rows of gpkg_spatial_ref_sys (organization "WUMEN") so a GIS
// shows what the numbers are instead of silently taking them for WGS84.
const (
	SRSGCJ02 = 990002
	SRSBD09  = 990009
)

var customSRS = map[geo.CRS]struct {
	id         int
	name, desc string
}{
	geo.GCJ02: {SRSGCJ02, "GCJ-02", "GCJ-02, offset from WGS84; not an EPSG CRS (国测局坐标, used by Amap and Tencent maps). Convert to WGS84 before overlaying with other data."},
	geo.BD09:  {SRSBD09, "BD-09", "BD-09, Baidu's offset on GCJ-02; not an EPSG CRS. Convert to WGS84 before overlaying with other data."},
}

// placeColumns are the user columns of the place layers and of the
// attributes table of places without geometry. record holds, as JSON, what
// has no column of its own (relations, sources, heritage details, text
// sources, extra), so the file imports back without loss; the columns win
// over it when both are present, so edits made in a GIS are kept.
var placeColumns = []gpkg.Column{
	{Name: "place_id", Type: "INTEGER", NotNull: true},
	{Name: "name", Type: "TEXT", NotNull: true},
	{Name: "specific", Type: "TEXT"},
	{Name: "generic", Type: "TEXT"},
	{Name: "pinyin", Type: "TEXT"},
	{Name: "sign", Type: "TEXT"},
	{Name: "class", Type: "TEXT"},
	{Name: "subclass", Type: "TEXT"},
	{Name: "status", Type: "TEXT"},
	{Name: "code", Type: "TEXT"},
	{Name: "level", Type: "TEXT"},
	{Name: "admin", Type: "TEXT"},
	{Name: "heritage", Type: "TEXT"},
	{Name: "coord_method", Type: "TEXT"},
	{Name: "accuracy_m", Type: "DOUBLE"},
	{Name: "osm", Type: "TEXT"},
	{Name: "geonames", Type: "INTEGER"},
	{Name: "wikidata", Type: "TEXT"},
	{Name: "nbs", Type: "TEXT"},
	{Name: "meaning", Type: "TEXT"},
	{Name: "history", Type: "TEXT"},
	{Name: "description", Type: "TEXT"},
	{Name: "license", Type: "TEXT"},
	{Name: "rank", Type: "DOUBLE"},
	{Name: "updated", Type: "DATETIME"},
	{Name: "geometry_type", Type: "TEXT"},
	{Name: "record", Type: "TEXT"},
}

var nameColumns = []gpkg.Column{
	{Name: "place_id", Type: "INTEGER", NotNull: true},
	{Name: "seq", Type: "INTEGER", NotNull: true},
	{Name: "text", Type: "TEXT", NotNull: true},
	{Name: "script", Type: "TEXT"},
	{Name: "kind", Type: "TEXT"},
	{Name: "start", Type: "TEXT"},
	{Name: "end", Type: "TEXT"},
	{Name: "citation", Type: "TEXT"},
	{Name: "lang", Type: "TEXT"}, // BCP 47 language of a name in another language (en)
}

var eventColumns = []gpkg.Column{
	{Name: "place_id", Type: "INTEGER", NotNull: true},
	{Name: "seq", Type: "INTEGER", NotNull: true},
	{Name: "type", Type: "TEXT", NotNull: true},
	{Name: "date", Type: "TEXT"},
	{Name: "document", Type: "TEXT"},
	{Name: "from_name", Type: "TEXT"},
	{Name: "to_name", Type: "TEXT"},
	{Name: "start_point", Type: "TEXT"},
	{Name: "end_point", Type: "TEXT"},
	{Name: "note", Type: "TEXT"},
	{Name: "proposal", Type: "INTEGER"},
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// placeValues returns the placeColumns values of p, whose geometry and
// label are already in the export CRS.
func placeValues(p *gazetteer.Place) ([]any, error) {
	rest := *p
	rest.Geometry, rest.Names, rest.Events = nil, nil, nil
	rec, err := json.Marshal(rest)
	if err != nil {
		return nil, err
	}
	var method any
	var acc any
	if p.Coord != nil {
		method = nullable(p.Coord.Method)
		if p.Coord.AccuracyM > 0 {
			acc = p.Coord.AccuracyM
		}
	}
	var gn any
	if p.Links.GeoNames != 0 {
		gn = p.Links.GeoNames
	}
	var updated any
	if t, err := time.Parse(time.RFC3339Nano, p.Updated); err == nil {
		updated = t
	}
	var gt any
	if p.Geometry != nil {
		gt = p.Geometry.GeoJSONType()
	}
	return []any{p.ID, p.Name, nullable(p.Specific), nullable(p.Generic), nullable(p.Pinyin), nullable(p.Sign),
		nullable(p.Category.Class), nullable(p.Category.Subclass), nullable(string(p.Status)), nullable(p.Code),
		nullable(p.Level), nullable(joinList(p.Admin)), nullable(joinList(heritageLists(p))), method, acc,
		nullable(p.Links.OSM), gn, nullable(p.Links.Wikidata), nullable(p.Links.NBS), nullable(text(p.Meaning)),
		nullable(text(p.History)), nullable(text(p.Desc)), nullable(p.License), p.Rank, updated, gt, string(rec)}, nil
}

// layerFor returns the layer a geometry goes to and the geometry in the
// layer's type (single lines and polygons promoted to multi).
func layerFor(g orb.Geometry) (string, orb.Geometry) {
	switch g := g.(type) {
	case orb.Point:
		return LayerPoint, g
	case orb.MultiPoint:
		return LayerMultiPoint, g
	case orb.LineString:
		return LayerLine, orb.MultiLineString{g}
	case orb.MultiLineString:
		return LayerLine, g
	case orb.Polygon:
		return LayerPolygon, orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return LayerPolygon, g
	}
	return "", g
}

// WriteGPKG writes the selected places to a new GeoPackage 1.3 file at path
// (it must not exist): one feature layer per geometry type (places_point,
// places_line, places_polygon), the places without geometry in the
// attributes table places_nogeom, and every name and event in the related
// tables place_names and place_events keyed by place_id. Coordinates are in
// o.CRS: EPSG:4326 or EPSG:4490, or a custom spatial reference row for
// GCJ-02 and BD-09 that says they are offsets, not EPSG systems. Every table's
// gpkg_contents.description carries the attribution and the CRS. It returns
// the number of places written.
func WriteGPKG(ctx context.Context, s *gazetteer.Store, path string, o gazetteer.ExportOptions) (int, error) {
	crs := crsOf(o.CRS)
	srs := gpkg.SRSWGS84
	if crs == geo.CGCS2000 {
		srs = gpkg.SRSCGCS2000
	}
	w, err := gpkg.Create(path)
	if err != nil {
		return 0, err
	}
	setup := []func() error{
		func() error { return w.AddFeatureLayer(LayerPoint, gpkg.Point, srs, placeColumns) },
		func() error { return w.AddFeatureLayer(LayerLine, gpkg.MultiLineString, srs, placeColumns) },
		func() error { return w.AddFeatureLayer(LayerPolygon, gpkg.MultiPolygon, srs, placeColumns) },
		func() error { return w.AddAttributeTable(TableNoGeometry, placeColumns) },
		func() error { return w.AddAttributeTable(TableNames, nameColumns) },
		func() error { return w.AddAttributeTable(TableEvents, eventColumns) },
	}
	for _, f := range setup {
		if err := f(); err != nil {
			w.Close()
			return 0, err
		}
	}
	multiPoint := false
	n, err := each(ctx, s, o, func(p *gazetteer.Place) error {
		q := *p
		q.Geometry = project(p.Geometry, crs)
		if p.Label != nil {
			l := project(*p.Label, crs).(orb.Point)
			q.Label = &l
		}
		vals, err := placeValues(&q)
		if err != nil {
			return err
		}
		layer, g := TableNoGeometry, orb.Geometry(nil)
		if q.Geometry != nil {
			layer, g = layerFor(q.Geometry)
			if layer == "" {
				return fmt.Errorf("geometry type %s has no GeoPackage layer", q.Geometry.GeoJSONType())
			}
			if layer == LayerMultiPoint && !multiPoint {
				if err := w.AddFeatureLayer(LayerMultiPoint, gpkg.MultiPoint, srs, placeColumns); err != nil {
					return err
				}
				multiPoint = true
			}
		}
		if err := w.Insert(layer, g, vals); err != nil {
			return err
		}
		for i, nm := range p.Names {
			if err := w.Insert(TableNames, nil, []any{p.ID, i, nm.Text, nullable(nm.Script), nullable(nm.Kind),
				nullable(nm.Start), nullable(nm.End), nullable(nm.Citation), nullable(nm.Lang)}); err != nil {
				return err
			}
		}
		for i, e := range p.Events {
			var prop any
			if e.Proposal != 0 {
				prop = e.Proposal
			}
			if err := w.Insert(TableEvents, nil, []any{p.ID, i, e.Type, nullable(e.Date), nullable(e.Document),
				nullable(e.From), nullable(e.To), nullable(e.Start), nullable(e.End), nullable(e.Note), prop}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.Close()
		os.Remove(path)
		return n, err
	}
	if err := w.Close(); err != nil {
		return n, err
	}
	if err := finishGPKG(path, crs); err != nil {
		os.Remove(path)
		return n, err
	}
	return n, nil
}

// tableDescriptions say what each table holds, for gpkg_contents.
var tableDescriptions = map[string]string{
	LayerPoint:      "Places (地名) with a point position.",
	LayerLine:       "Places (地名) with a line: streets, rivers, canals, walls.",
	LayerPolygon:    "Places (地名) with an area.",
	LayerMultiPoint: "Places (地名) with several points.",
	TableNoGeometry: "Places (地名) awaiting a position (no geometry yet).",
	TableNames:      "Every name of a place (standard, alias, historical, colloquial, abbreviation) with script, approximate dates and citation; place_id refers to place_id of the place tables.",
	TableEvents:     "Lifecycle events of names (命名 naming, 更名 renaming, 注销 cancellation, 起止点调整 adjustment) with approval documents; place_id refers to place_id of the place tables.",
}

// finishGPKG adds what geo/gpkg's writer has no call for: the attribution
// and CRS in gpkg_contents.description, and, for GCJ-02 and BD-09, the
// custom spatial reference row the layers and geometry headers point to.
func finishGPKG(path string, crs geo.CRS) error {
	db, err := sql.Open("sqlite", gpkg.FileURI(path, ""))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for t, d := range tableDescriptions {
		d += " Coordinates: " + CRSLabel(crs) + ". " + gazetteer.Attribution
		if _, err := tx.Exec(`UPDATE gpkg_contents SET description=? WHERE table_name=?`, d, t); err != nil {
			return err
		}
	}
	if c, ok := customSRS[crs]; ok {
		if err := relabelSRS(tx, c.id, c.name, c.desc); err != nil {
			return fmt.Errorf("gpkg: %s: %w", path, err)
		}
	}
	return tx.Commit()
}

// relabelSRS moves every feature layer (written as EPSG:4326) to the custom
// srs id: the spatial reference row, gpkg_contents, gpkg_geometry_columns
// and the srs_id in each geometry's header (GeoPackage 1.3 §2.1.3.1.1,
// Requirement 33 wants them to agree). The R-tree triggers call ST_*
// functions only GeoPackage-aware readers provide, so they are dropped for
// the rewrite and created again from their stored SQL.
func relabelSRS(tx *sql.Tx, id int, name, desc string) error {
	wktDef := fmt.Sprintf(`GEOGCS["%s",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AXIS["Latitude",NORTH],AXIS["Longitude",EAST]]`, desc)
	if _, err := tx.Exec(`INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?,?,?,?,?,?)`,
		name+" (offset, not EPSG)", id, "WUMEN", id, wktDef, desc); err != nil {
		return err
	}
	rows, err := tx.Query(`SELECT table_name, column_name FROM gpkg_geometry_columns`)
	if err != nil {
		return err
	}
	var layers [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		layers = append(layers, [2]string{t, c})
	}
	rows.Close()
	for _, l := range layers {
		table, col := l[0], l[1]
		trig, err := tx.Query(`SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name=?`, table)
		if err != nil {
			return err
		}
		var triggers [][2]string
		for trig.Next() {
			var n, q string
			if err := trig.Scan(&n, &q); err != nil {
				trig.Close()
				return err
			}
			triggers = append(triggers, [2]string{n, q})
		}
		trig.Close()
		for _, t := range triggers {
			if _, err := tx.Exec(`DROP TRIGGER "` + t[0] + `"`); err != nil {
				return err
			}
		}
		if err := rewriteSRSIDs(tx, table, col, id); err != nil {
			return err
		}
		for _, t := range triggers {
			if _, err := tx.Exec(t[1]); err != nil {
				return err
			}
		}
		for _, q := range []string{`UPDATE gpkg_contents SET srs_id=? WHERE table_name=?`, `UPDATE gpkg_geometry_columns SET srs_id=? WHERE table_name=?`} {
			if _, err := tx.Exec(q, id, table); err != nil {
				return err
			}
		}
	}
	return nil
}

func rewriteSRSIDs(tx *sql.Tx, table, col string, id int) error {
	rows, err := tx.Query(fmt.Sprintf(`SELECT fid, "%s" FROM "%s" WHERE "%s" IS NOT NULL`, col, table, col))
	if err != nil {
		return err
	}
	type blob struct {
		fid int64
		b   []byte
	}
	var all []blob
	for rows.Next() {
		var x blob
		if err := rows.Scan(&x.fid, &x.b); err != nil {
			rows.Close()
			return err
		}
		if len(x.b) < 8 || x.b[0] != 'G' || x.b[1] != 'P' {
			rows.Close()
			return fmt.Errorf("%s fid %d: not a GeoPackage geometry", table, x.fid)
		}
		if x.b[3]&1 == 1 {
			binary.LittleEndian.PutUint32(x.b[4:8], uint32(id))
		} else {
			binary.BigEndian.PutUint32(x.b[4:8], uint32(id))
		}
		all = append(all, x)
	}
	rows.Close()
	upd, err := tx.Prepare(fmt.Sprintf(`UPDATE "%s" SET "%s"=? WHERE fid=?`, table, col))
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, x := range all {
		if _, err := upd.Exec(x.b, x.fid); err != nil {
			return err
		}
	}
	return nil
}

// FileCRS returns the CRS a GeoPackage's place layers declare (zero when the
// file has no feature layer or an srs Wumen does not know).
func FileCRS(path string) (geo.CRS, error) {
	db, err := sql.Open("sqlite", gpkg.FileURI(path, "mode=ro"))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT DISTINCT srs_id FROM gpkg_geometry_columns`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var out geo.CRS
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		var c geo.CRS
		switch id {
		case gpkg.SRSWGS84:
			c = geo.WGS84
		case gpkg.SRSCGCS2000:
			c = geo.CGCS2000
		case SRSGCJ02:
			c = geo.GCJ02
		case SRSBD09:
			c = geo.BD09
		default:
			return 0, &gazetteer.Error{Code: gazetteer.EInvalid, Where: path, Message: fmt.Sprintf("spatial reference %d is not one Wumen reads (EPSG:4326, EPSG:4490, GCJ-02, BD-09)", id)}
		}
		if out != 0 && !sameDatum(out, c) {
			return 0, &gazetteer.Error{Code: gazetteer.EInvalid, Where: path, Message: "layers in different coordinate systems"}
		}
		out = c
	}
	return out, rows.Err()
}

func sameDatum(a, b geo.CRS) bool {
	w := func(c geo.CRS) bool { return c == geo.WGS84 || c == geo.CGCS2000 }
	return a == b || (w(a) && w(b))
}

// ReadGPKG reads places from a GeoPackage: every feature layer and
// attributes table with a name column (the layers WriteGPKG writes, or a
// layer made in a GIS with at least name and class), with names and events
// from place_names and place_events. crs is the CRS the caller declares for
// the coordinates; zero takes the file's own. A file whose layers say a
// different CRS than the one declared is refused rather than silently
// shifted. Records are returned for Store.PutAll, which validates them.
func ReadGPKG(path string, crs geo.CRS) ([]gazetteer.Input, error) {
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	fileCRS, err := FileCRS(path)
	if err != nil {
		return nil, err
	}
	switch {
	case crs == 0 && fileCRS == 0:
		crs = geo.WGS84
	case crs == 0:
		crs = fileCRS
	case fileCRS != 0 && !sameDatum(crs, fileCRS):
		return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: base,
			Message: fmt.Sprintf("the file's layers are in %s but the import declares %s", fileCRS, crs)}
	}
	tables, err := gpkgTables(path)
	if err != nil {
		return nil, err
	}
	names := map[int64][]gazetteer.Name{}
	events := map[int64][]gazetteer.Event{}
	var out []gazetteer.Input
	for _, t := range tables {
		switch t {
		case TableNames:
			err = gpkg.Read(path, t, func(_ orb.Geometry, r map[string]any) error {
				id := intOf(r["place_id"])
				names[id] = append(names[id], gazetteer.Name{Text: str(r["text"]), Script: str(r["script"]), Kind: str(r["kind"]),
					Start: str(r["start"]), End: str(r["end"]), Citation: str(r["citation"]), Lang: str(r["lang"])})
				return nil
			})
		case TableEvents:
			err = gpkg.Read(path, t, func(_ orb.Geometry, r map[string]any) error {
				id := intOf(r["place_id"])
				events[id] = append(events[id], gazetteer.Event{Type: str(r["type"]), Date: str(r["date"]), Document: str(r["document"]),
					From: str(r["from_name"]), To: str(r["to_name"]), Start: str(r["start_point"]), End: str(r["end_point"]),
					Note: str(r["note"]), Proposal: intOf(r["proposal"])})
				return nil
			})
		default:
			row := 0
			err = gpkg.Read(path, t, func(g orb.Geometry, r map[string]any) error {
				row++
				where := fmt.Sprintf("%s: %s row %d", base, t, row)
				p, err := placeFromRow(g, r, crs)
				if err != nil {
					return at(err, where)
				}
				out = append(out, gazetteer.Input{Place: p, Where: where})
				return nil
			})
		}
		if err != nil {
			var ge *gazetteer.Error
			if errors.As(err, &ge) {
				return nil, ge
			}
			return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: base, Message: err.Error()}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Place.ID < out[j].Place.ID })
	for _, in := range out {
		if in.Place.ID == 0 {
			continue
		}
		if ns, ok := names[in.Place.ID]; ok {
			in.Place.Names = ns
		}
		if es, ok := events[in.Place.ID]; ok {
			in.Place.Events = es
		}
	}
	return out, nil
}

// gpkgTables lists the tables of gpkg_contents that hold places: feature
// layers and attribute tables with a name column, plus the related tables.
func gpkgTables(path string) ([]string, error) {
	db, err := sql.Open("sqlite", gpkg.FileURI(path, "mode=ro"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT c.table_name FROM gpkg_contents c WHERE c.data_type IN ('features','attributes')
		AND (c.table_name IN (?, ?) OR EXISTS (SELECT 1 FROM pragma_table_info(c.table_name) WHERE name = 'name')) ORDER BY c.table_name`,
		TableNames, TableEvents)
	if err != nil {
		return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: path, Message: "not a GeoPackage: " + err.Error()}
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// at places an error of a GeoPackage being read at where; anything that is
// not already a domain error is bad input.
func at(err error, where string) error {
	var e *gazetteer.Error
	if !errors.As(err, &e) {
		err = &gazetteer.Error{Code: gazetteer.EInvalid, Message: err.Error()}
	}
	return gazetteer.At(err, where)
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return ""
}

func intOf(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// placeFromRow rebuilds a place: the record column first, then every
// column present over it, then the geometry converted to WGS84.
func placeFromRow(g orb.Geometry, r map[string]any, crs geo.CRS) (*gazetteer.Place, error) {
	p := new(gazetteer.Place)
	if rec := str(r["record"]); rec != "" {
		if err := json.Unmarshal([]byte(rec), p); err != nil {
			return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: "record", Message: err.Error()}
		}
	}
	has := func(k string) (string, bool) {
		v, ok := r[k]
		if !ok {
			return "", false
		}
		return str(v), true
	}
	set := func(k string, dst *string) {
		if v, ok := has(k); ok {
			*dst = v
		}
	}
	if _, ok := r["place_id"]; ok {
		p.ID = intOf(r["place_id"])
	} else if _, ok := r["id"]; ok {
		p.ID = intOf(r["id"])
	}
	set("name", &p.Name)
	set("specific", &p.Specific)
	set("generic", &p.Generic)
	set("pinyin", &p.Pinyin)
	set("sign", &p.Sign)
	set("class", &p.Category.Class)
	set("subclass", &p.Category.Subclass)
	set("code", &p.Code)
	set("level", &p.Level)
	set("osm", &p.Links.OSM)
	set("wikidata", &p.Links.Wikidata)
	set("nbs", &p.Links.NBS)
	set("license", &p.License)
	if v, ok := has("status"); ok {
		p.Status = gazetteer.Status(v)
	}
	if v, ok := has("admin"); ok {
		p.Admin = splitList(v)
	}
	if v, ok := has("heritage"); ok {
		lists := splitList(v)
		if strings.Join(heritageLists(p), "|") != v {
			p.Heritage = nil
			for _, l := range lists {
				p.Heritage = append(p.Heritage, gazetteer.Heritage{List: l})
			}
		}
	}
	if _, ok := r["geonames"]; ok {
		p.Links.GeoNames = intOf(r["geonames"])
	}
	if _, ok := r["rank"]; ok {
		if f, ok := r["rank"].(float64); ok {
			p.Rank = f
		}
	}
	for k, dst := range map[string]**gazetteer.Text{"meaning": &p.Meaning, "history": &p.History, "description": &p.Desc} {
		v, ok := has(k)
		if !ok {
			continue
		}
		switch {
		case v == "":
			*dst = nil
		case *dst == nil:
			*dst = &gazetteer.Text{Text: v}
		case (*dst).Text != v:
			t := **dst
			t.Text, t.Verified, t.VerifiedBy = v, false, ""
			*dst = &t
		}
	}
	if g != nil {
		if gt, _ := has("geometry_type"); gt != "" {
			g = demote(g, gt)
		}
		if err := gazetteer.ValidGeometry(g); err != nil {
			return nil, err
		}
		p.Geometry = unproject(g, crs)
		if v, ok := has("coord_method"); ok {
			if p.Coord == nil {
				p.Coord = &gazetteer.Coord{}
			}
			p.Coord.Method = v
		}
		if _, ok := r["accuracy_m"]; ok && p.Coord != nil {
			if f, ok := r["accuracy_m"].(float64); ok {
				p.Coord.AccuracyM = f
			}
		}
	} else {
		p.Geometry = nil
	}
	if p.Geometry != nil {
		// The geometry may have been edited in a GIS: derive the label
		// point from it again rather than keep the recorded one.
		p.Label = nil
	} else if p.Label != nil {
		l := unproject(*p.Label, crs).(orb.Point)
		p.Label = &l
	}
	return p, nil
}

// demote undoes layerFor's promotion to multi types.
func demote(g orb.Geometry, want string) orb.Geometry {
	switch x := g.(type) {
	case orb.MultiLineString:
		if want == "LineString" && len(x) == 1 {
			return x[0]
		}
	case orb.MultiPolygon:
		if want == "Polygon" && len(x) == 1 {
			return x[0]
		}
	}
	return g
}

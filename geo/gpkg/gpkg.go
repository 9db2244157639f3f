// Package gpkg writes and reads OGC GeoPackage 1.3 files (OGC 12-128r17):
// feature layers with the R-tree spatial index extension (Annex F.3) and
// plain attribute tables, on modernc.org/sqlite (pure Go) and orb's WKB.
//
// It is written by hand because no Go library writes GeoPackages; GDAL's
// ogrinfo is the reference reader in the tests.
package gpkg

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/paulmach/orb"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Header values (GeoPackage 1.3 §1.1.1.1.1). user_version is 10300, not
// 10400: GDAL 3.6 warns when it opens a 1.4 file.
const (
	applicationID = 0x47504B47 // "GPKG"
	userVersion   = 10300
)

// SRS identifiers written to gpkg_spatial_ref_sys.
const (
	SRSWGS84    = 4326 // EPSG:4326, WGS 84
	SRSCGCS2000 = 4490 // EPSG:4490, China Geodetic Coordinate System 2000
)

// Geometry type names of gpkg_geometry_columns (§2.1.5.1.2, Annex E).
const (
	Point           = "POINT"
	LineString      = "LINESTRING"
	Polygon         = "POLYGON"
	MultiPoint      = "MULTIPOINT"
	MultiLineString = "MULTILINESTRING"
	MultiPolygon    = "MULTIPOLYGON"
	Collection      = "GEOMETRYCOLLECTION"
	Geometry        = "GEOMETRY"
)

// geomTypeOf maps a geometry type name to the orb type it accepts ("" for
// any).
var geomTypeOf = map[string]string{
	Point: "Point", LineString: "LineString", Polygon: "Polygon",
	MultiPoint: "MultiPoint", MultiLineString: "MultiLineString",
	MultiPolygon: "MultiPolygon", Collection: "GeometryCollection", Geometry: "",
}

// Column is a user column of a feature layer or attribute table. Type is a
// GeoPackage data type (§1.1.1.1.3 Table 1): BOOLEAN, TINYINT, SMALLINT,
// MEDIUMINT, INT, INTEGER, FLOAT, DOUBLE, REAL, TEXT, BLOB, DATE or
// DATETIME.
type Column struct {
	Name    string
	Type    string
	NotNull bool
}

var dataTypes = map[string]bool{
	"BOOLEAN": true, "TINYINT": true, "SMALLINT": true, "MEDIUMINT": true,
	"INT": true, "INTEGER": true, "FLOAT": true, "DOUBLE": true, "REAL": true,
	"TEXT": true, "BLOB": true, "DATE": true, "DATETIME": true,
}

// The fid and geometry column names follow GDAL's defaults so tools find
// them without configuration.
const (
	fidColumn  = "fid"
	geomColumn = "geom"
)

// spatialRefSys holds the rows of gpkg_spatial_ref_sys: the two undefined
// systems the spec requires (§1.1.2.1.2) plus the ones Wumen writes. The
// definitions are GDAL's WKT1 for the EPSG codes.
var spatialRefSys = []struct {
	name, org   string
	id, orgID   int
	definition  string
	description string
}{
	{"Undefined cartesian SRS", "NONE", -1, -1, "undefined", "undefined cartesian coordinate reference system"},
	{"Undefined geographic SRS", "NONE", 0, 0, "undefined", "undefined geographic coordinate reference system"},
	{"WGS 84 geodetic", "EPSG", SRSWGS84, 4326,
		`GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`,
		"longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"},
	{"China Geodetic Coordinate System 2000", "EPSG", SRSCGCS2000, 4490,
		`GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]`,
		"longitude/latitude coordinates in decimal degrees on the CGCS2000 ellipsoid"},
}

// coreSchema is the required metadata tables (§1.1.2, §1.1.3, §2.1.5,
// §2.3.2). gpkg_extensions is created up front because every feature layer
// registers the R-tree extension in it.
const coreSchema = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
`

// rtreeTriggers are the triggers of the R-tree extension, GeoPackage 1.3
// Annex F.3, with t, c and i substituted. They are created after the bulk
// load: the ST_* functions they call exist in GeoPackage-aware readers
// (GDAL), not in this writer, which fills the index itself.
const rtreeTriggers = `
CREATE TRIGGER "rtree_{t}_{c}_insert" AFTER INSERT ON "{t}"
  WHEN (new."{c}" NOT NULL AND NOT ST_IsEmpty(NEW."{c}"))
BEGIN
  INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (
    NEW."{i}",
    ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"),
    ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")
  );
END;
CREATE TRIGGER "rtree_{t}_{c}_update1" AFTER UPDATE OF "{c}" ON "{t}"
  WHEN OLD."{i}" = NEW."{i}" AND
       (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
BEGIN
  INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (
    NEW."{i}",
    ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"),
    ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")
  );
END;
CREATE TRIGGER "rtree_{t}_{c}_update2" AFTER UPDATE OF "{c}" ON "{t}"
  WHEN OLD."{i}" = NEW."{i}" AND
       (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}"))
BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."{i}";
END;
CREATE TRIGGER "rtree_{t}_{c}_update3" AFTER UPDATE OF "{c}" ON "{t}"
  WHEN OLD."{i}" != NEW."{i}" AND
       (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."{i}";
  INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (
    NEW."{i}",
    ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"),
    ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")
  );
END;
CREATE TRIGGER "rtree_{t}_{c}_update4" AFTER UPDATE ON "{t}"
  WHEN OLD."{i}" != NEW."{i}" AND
       (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}"))
BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id IN (OLD."{i}", NEW."{i}");
END;
CREATE TRIGGER "rtree_{t}_{c}_delete" AFTER DELETE ON "{t}"
  WHEN old."{c}" NOT NULL
BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."{i}";
END;
`

// Writer builds a GeoPackage in a single transaction, committed by Close.
// It is not safe for concurrent use.
type Writer struct {
	path   string
	db     *sql.DB
	tx     *sql.Tx
	layers map[string]*table
	order  []*table
	err    error // first error; makes every later call fail
}

type table struct {
	name     string
	cols     []Column
	spatial  bool
	geomTyp  string
	srsID    int32
	bound    orb.Bound // extent of the rows so far, valid when hasBound
	hasBound bool
	rows     int
	insert   *sql.Stmt
	rtree    *sql.Stmt
}

// Create creates a new GeoPackage at path. It fails if the file exists, so
// an export never silently merges into an older file.
func Create(path string) (*Writer, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("gpkg: %s already exists", path)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	w := &Writer{path: path, db: db, layers: map[string]*table{}}
	if err := w.init(); err != nil {
		db.Close()
		os.Remove(path)
		return nil, fmt.Errorf("gpkg: %s: %w", path, err)
	}
	return w, nil
}

func (w *Writer) init() error {
	// application_id and user_version live in the file header; set them
	// before the transaction so they are there even for an empty file.
	if _, err := w.db.Exec(fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", applicationID, userVersion)); err != nil {
		return err
	}
	tx, err := w.db.Begin()
	if err != nil {
		return err
	}
	w.tx = tx
	if _, err := tx.Exec(coreSchema); err != nil {
		return err
	}
	for _, s := range spatialRefSys {
		if _, err := tx.Exec(`INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)`,
			s.name, s.id, s.org, s.orgID, s.definition, s.description); err != nil {
			return err
		}
	}
	return nil
}

// tableName restricts table names to identifiers that need no escaping
// anywhere (the R-tree table name embeds them).
var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return err
}

func (w *Writer) newTable(name string, cols []Column) (*table, error) {
	if w.err != nil {
		return nil, w.err
	}
	if !tableName.MatchString(name) {
		return nil, fmt.Errorf("gpkg: table name %q: want letters, digits and _", name)
	}
	if w.layers[strings.ToLower(name)] != nil {
		return nil, fmt.Errorf("gpkg: table %q already added", name)
	}
	seen := map[string]bool{fidColumn: true, geomColumn: true}
	for i, c := range cols {
		if c.Name == "" || strings.ContainsRune(c.Name, '"') {
			return nil, fmt.Errorf("gpkg: table %s column %d: invalid name %q", name, i, c.Name)
		}
		if seen[strings.ToLower(c.Name)] {
			return nil, fmt.Errorf("gpkg: table %s column %q: duplicate or reserved name", name, c.Name)
		}
		seen[strings.ToLower(c.Name)] = true
		if !dataTypes[c.Type] {
			return nil, fmt.Errorf("gpkg: table %s column %q: type %q is not a GeoPackage data type", name, c.Name, c.Type)
		}
	}
	t := &table{name: name, cols: cols}
	w.layers[strings.ToLower(name)] = t
	w.order = append(w.order, t)
	return t, nil
}

func createTableSQL(t *table) string {
	var b strings.Builder
	fmt.Fprintf(&b, `CREATE TABLE "%s" ("%s" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`, t.name, fidColumn)
	if t.spatial {
		fmt.Fprintf(&b, `, "%s" %s`, geomColumn, t.geomTyp)
	}
	for _, c := range t.cols {
		fmt.Fprintf(&b, `, "%s" %s`, c.Name, c.Type)
		if c.NotNull {
			b.WriteString(" NOT NULL")
		}
	}
	b.WriteString(")")
	return b.String()
}

func insertSQL(t *table) string {
	names := make([]string, 0, len(t.cols)+1)
	if t.spatial {
		names = append(names, `"`+geomColumn+`"`)
	}
	for _, c := range t.cols {
		names = append(names, `"`+c.Name+`"`)
	}
	if len(names) == 0 {
		return fmt.Sprintf(`INSERT INTO "%s" DEFAULT VALUES`, t.name)
	}
	return fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (%s)`, t.name, strings.Join(names, ","),
		strings.TrimSuffix(strings.Repeat("?,", len(names)), ","))
}

// AddFeatureLayer adds a feature table with a geometry column "geom" of
// geomType (one of the geometry type constants, e.g. Point), in the SRS
// srsID (SRSWGS84 or SRSCGCS2000), and the user columns cols. The primary
// key column "fid" is added automatically.
func (w *Writer) AddFeatureLayer(name, geomType string, srsID int, cols []Column) error {
	if _, ok := geomTypeOf[geomType]; !ok {
		return fmt.Errorf("gpkg: layer %s: unknown geometry type %q", name, geomType)
	}
	if srsID != SRSWGS84 && srsID != SRSCGCS2000 {
		return fmt.Errorf("gpkg: layer %s: srs_id %d not supported (want %d or %d)", name, srsID, SRSWGS84, SRSCGCS2000)
	}
	t, err := w.newTable(name, cols)
	if err != nil {
		return err
	}
	t.spatial, t.geomTyp, t.srsID = true, geomType, int32(srsID)
	stmts := []string{
		createTableSQL(t),
		fmt.Sprintf(`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('%s', 'features', '%s', %d)`, name, name, srsID),
		fmt.Sprintf(`INSERT INTO gpkg_geometry_columns VALUES ('%s', '%s', '%s', %d, 0, 0)`, name, geomColumn, geomType, srsID),
		fmt.Sprintf(`INSERT INTO gpkg_extensions VALUES ('%s', '%s', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, name, geomColumn),
		fmt.Sprintf(`CREATE VIRTUAL TABLE "rtree_%s_%s" USING rtree(id, minx, maxx, miny, maxy)`, name, geomColumn),
	}
	for _, s := range stmts {
		if _, err := w.tx.Exec(s); err != nil {
			return w.fail(fmt.Errorf("gpkg: layer %s: %w", name, err))
		}
	}
	return w.prepare(t)
}

// AddAttributeTable adds a non-spatial table (data_type "attributes"), for
// related records such as names and lifecycle events.
func (w *Writer) AddAttributeTable(name string, cols []Column) error {
	t, err := w.newTable(name, cols)
	if err != nil {
		return err
	}
	for _, s := range []string{
		createTableSQL(t),
		fmt.Sprintf(`INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('%s', 'attributes', '%s')`, name, name),
	} {
		if _, err := w.tx.Exec(s); err != nil {
			return w.fail(fmt.Errorf("gpkg: table %s: %w", name, err))
		}
	}
	return w.prepare(t)
}

func (w *Writer) prepare(t *table) error {
	var err error
	if t.insert, err = w.tx.Prepare(insertSQL(t)); err != nil {
		return w.fail(fmt.Errorf("gpkg: table %s: %w", t.name, err))
	}
	if t.spatial {
		if t.rtree, err = w.tx.Prepare(fmt.Sprintf(`INSERT INTO "rtree_%s_%s" VALUES (?,?,?,?,?)`, t.name, geomColumn)); err != nil {
			return w.fail(fmt.Errorf("gpkg: table %s: %w", t.name, err))
		}
	}
	return nil
}

// Insert adds a row to a feature layer or attribute table. geom must be nil
// for attribute tables; for layers it may be nil (NULL) or must match the
// layer's geometry type. values follow the table's columns, one each;
// accepted types are nil, string, bool, the integer and float types,
// []byte and time.Time (stored as ISO 8601 text, §1.1.1.1.3).
func (w *Writer) Insert(layer string, geom orb.Geometry, values []any) error {
	if w.err != nil {
		return w.err
	}
	t := w.layers[strings.ToLower(layer)]
	if t == nil {
		return fmt.Errorf("gpkg: Insert: no table %q", layer)
	}
	n := t.rows + 1 // 1-based row number for messages
	if len(values) != len(t.cols) {
		return fmt.Errorf("gpkg: table %s row %d: %d values for %d columns", t.name, n, len(values), len(t.cols))
	}
	args := make([]any, 0, len(values)+1)
	var blob []byte
	var bound orb.Bound
	if t.spatial {
		if geom != nil {
			if want := geomTypeOf[t.geomTyp]; want != "" && geom.GeoJSONType() != want {
				return fmt.Errorf("gpkg: layer %s row %d: %s geometry in a %s layer", t.name, n, geom.GeoJSONType(), t.geomTyp)
			}
			var err error
			if blob, bound, err = encodeGeometry(geom, t.srsID); err != nil {
				return fmt.Errorf("gpkg: layer %s row %d: %w", t.name, n, err)
			}
		}
		args = append(args, blob)
	} else if geom != nil {
		return fmt.Errorf("gpkg: table %s row %d: geometry given for an attribute table", t.name, n)
	}
	for i, v := range values {
		a, err := sqlValue(t.cols[i], v)
		if err != nil {
			return fmt.Errorf("gpkg: table %s row %d column %s: %w", t.name, n, t.cols[i].Name, err)
		}
		args = append(args, a)
	}
	res, err := t.insert.Exec(args...)
	if err != nil {
		return w.fail(fmt.Errorf("gpkg: table %s row %d: %w", t.name, n, err))
	}
	if blob != nil && !isEmpty(geom) {
		id, err := res.LastInsertId()
		if err == nil {
			_, err = t.rtree.Exec(id, bound.Min[0], bound.Max[0], bound.Min[1], bound.Max[1])
		}
		if err != nil {
			return w.fail(fmt.Errorf("gpkg: layer %s row %d: rtree: %w", t.name, n, err))
		}
		if t.hasBound {
			bound = t.bound.Union(bound)
		}
		t.bound, t.hasBound = bound, true
	}
	t.rows++
	return nil
}

// sqlValue converts a Go value for a column, checking it fits the type.
func sqlValue(c Column, v any) (any, error) {
	if v == nil {
		if c.NotNull {
			return nil, errors.New("NULL in a NOT NULL column")
		}
		return nil, nil
	}
	switch x := v.(type) {
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case time.Time:
		if c.Type == "DATE" {
			return x.UTC().Format("2006-01-02"), nil
		}
		return x.UTC().Format("2006-01-02T15:04:05.000Z"), nil
	case string, []byte, float64, float32, int, int8, int16, int32, int64, uint8, uint16, uint32:
		return x, nil
	case uint64:
		if x > math.MaxInt64 {
			return nil, fmt.Errorf("value %d overflows INTEGER", x)
		}
		return int64(x), nil
	}
	return nil, fmt.Errorf("unsupported value type %T", v)
}

// Close writes each layer's extent to gpkg_contents, creates the R-tree
// triggers and commits the transaction. After an earlier error it rolls
// back, removes the file and returns that error.
func (w *Writer) Close() error {
	if w.tx == nil {
		return errors.New("gpkg: writer already closed")
	}
	err := w.err
	if err == nil {
		err = w.finish()
	}
	if err == nil {
		err = w.tx.Commit()
	} else {
		w.tx.Rollback()
	}
	w.tx = nil
	if cerr := w.db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(w.path)
		return fmt.Errorf("gpkg: %s: %w", w.path, err)
	}
	return nil
}

func (w *Writer) finish() error {
	for _, t := range w.order {
		t.insert.Close()
		if !t.spatial {
			continue
		}
		t.rtree.Close()
		if t.hasBound {
			if _, err := w.tx.Exec(`UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=? WHERE table_name=?`,
				t.bound.Min[0], t.bound.Min[1], t.bound.Max[0], t.bound.Max[1], t.name); err != nil {
				return err
			}
		}
		r := strings.NewReplacer("{t}", t.name, "{c}", geomColumn, "{i}", fidColumn)
		if _, err := w.tx.Exec(r.Replace(rtreeTriggers)); err != nil {
			return fmt.Errorf("layer %s: triggers: %w", t.name, err)
		}
	}
	return nil
}

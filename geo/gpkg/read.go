package gpkg

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
)

// Read calls fn for every row of table layer in the GeoPackage at path, in
// primary-key order, with the decoded geometry (nil for attribute tables
// and NULL geometries) and the other columns by name. INTEGER columns come
// as int64, REAL as float64, TEXT as string, BLOB as []byte, DATE and
// DATETIME as time.Time (the sqlite driver parses them). It stops at the
// first error fn returns.
func Read(path, layer string, fn func(geom orb.Geometry, props map[string]any) error) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	db, err := sql.Open("sqlite", FileURI(path, "mode=ro"))
	if err != nil {
		return fmt.Errorf("gpkg: %s: %w", path, err)
	}
	defer db.Close()
	if err := read(db, layer, fn); err != nil {
		return fmt.Errorf("gpkg: %s: %w", path, err)
	}
	return nil
}

// FileURI returns the SQLite URI (https://sqlite.org/uri.html) of the file
// at path with query q ("mode=ro", or empty). The path is made absolute
// first: "file:" plus a relative name like suzhou.gpkg would be read as a
// URI authority, which SQLite refuses.
func FileURI(path, q string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q}
	if !strings.HasPrefix(u.Path, "/") { // a Windows drive letter
		u.Path = "/" + u.Path
	}
	return u.String()
}

func read(db *sql.DB, layer string, fn func(orb.Geometry, map[string]any) error) error {
	var dataType string
	err := db.QueryRow(`SELECT data_type FROM gpkg_contents WHERE table_name = ?`, layer).Scan(&dataType)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no table %q in gpkg_contents", layer)
	} else if err != nil {
		return err
	}
	var geomCol, pk string
	err = db.QueryRow(`SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?`, layer).Scan(&geomCol)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := db.QueryRow(`SELECT name FROM pragma_table_info(?) WHERE pk = 1`, layer).Scan(&pk); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	q := `SELECT * FROM ` + quoteIdent(layer)
	if pk != "" {
		q += ` ORDER BY ` + quoteIdent(pk)
	}
	rows, err := db.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for n := 1; rows.Next(); n++ {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("table %s row %d: %w", layer, n, err)
		}
		var geom orb.Geometry
		props := make(map[string]any, len(cols))
		for i, c := range cols {
			if c == geomCol && geomCol != "" {
				if b, ok := vals[i].([]byte); ok && len(b) > 0 {
					if geom, err = decodeGeometry(b); err != nil {
						return fmt.Errorf("table %s row %d column %s: %w", layer, n, c, err)
					}
				}
				continue
			}
			props[c] = vals[i]
		}
		if err := fn(geom, props); err != nil {
			return err
		}
	}
	return rows.Err()
}

// quoteIdent quotes an SQL identifier read from a file (layer and column
// names come from the GeoPackage being imported, which is untrusted).
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

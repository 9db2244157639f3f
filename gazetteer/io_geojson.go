//go:build !js

package gazetteer

// The GeoJSON writers, and the GeoJSON readers (geojson.go), are a server's:
// they use orb's geojson package, which brings the MongoDB BSON codec with
// it, and the search compiled to WebAssembly (search/wasm) neither reads nor
// writes GeoJSON records, so its build leaves them out.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/paulmach/orb/geojson"
)

// Feature returns the place as a GeoJSON feature whose properties are the
// place's record (so a GeoJSON export imports back without loss).
func Feature(p *Place) (*geojson.Feature, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	props := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&props); err != nil {
		return nil, err
	}
	delete(props, "geometry")
	f := geojson.NewFeature(p.Geometry)
	f.ID = p.ID
	f.Properties = props
	return f, nil
}

// WriteGeoJSON streams an RFC 7946 FeatureCollection with the attribution
// and its CRS named as a foreign member (wumen_crs). With lines it writes
// one feature a line instead, each naming its CRS in properties.wumen_crs:
// GeoJSON Lines, or with o.Seq an RFC 8142 GeoJSON text sequence (each
// feature led by the record separator U+001E).
func (s *Store) WriteGeoJSON(ctx context.Context, w io.Writer, o ExportOptions, lines bool) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	if !lines {
		head := map[string]any{"type": "FeatureCollection", "attribution": Attribution, "wumen_crs": crsName(o.CRS)}
		if !isWGS84(o.CRS) {
			head["crs_note"] = "coordinates in " + o.CRS.String() + "; RFC 7946 readers expect WGS84"
		}
		hb, _ := json.Marshal(head)
		bw.Write(hb[:len(hb)-1])
		bw.WriteString(`,"features":[` + "\n")
	}
	n := 0
	emit := func(b []byte) {
		if n > 0 && !lines {
			bw.WriteString(",\n")
		}
		if lines && o.Seq {
			bw.WriteByte(0x1e) // RFC 8142 §2.2
		}
		bw.Write(b)
		if lines {
			bw.WriteByte('\n')
		}
		n++
		if o.Progress != nil {
			o.Progress(n)
		}
	}
	var crsTag json.RawMessage // each line names its CRS; a collection names it once
	if lines {
		crsTag = json.RawMessage(`"` + crsName(o.CRS) + `"`)
	}
	var err error
	if isWGS84(o.CRS) {
		err = s.eachDoc(ctx, o.Filter, func(doc []byte) error {
			b, err := featureFromDoc(doc, crsTag)
			if err != nil {
				return err
			}
			emit(b)
			return nil
		})
	} else {
		err = s.Each(ctx, o.Filter, func(p *Place) error {
			f, err := Feature(inCRS(p, o.CRS))
			if err != nil {
				return err
			}
			if crsTag != nil {
				f.Properties["wumen_crs"] = crsName(o.CRS)
			}
			b, err := marshalNoEscape(f)
			if err != nil {
				return err
			}
			emit(b)
			return nil
		})
	}
	if err != nil {
		return n, err
	}
	if !lines {
		bw.WriteString("\n]}\n")
	}
	return n, bw.Flush()
}

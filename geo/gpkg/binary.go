package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"wumen/geo"
)

// GeoPackage binary header (GeoPackage 1.3 §2.1.3.1.1, "GeoPackageBinary"):
//
//	magic "GP" | version 0 | flags | srs_id int32 | envelope | WKB
//
// flags: bit 0 byte order (1 = little endian), bits 1–3 envelope contents
// (0 none, 1 = minx,maxx,miny,maxy), bit 4 empty geometry, bit 5 extended
// type (always 0 here: standard WKB only).
const (
	flagLittleEndian = 0x01
	flagEnvelopeXY   = 0x01 << 1
	flagEmpty        = 0x10
	flagExtended     = 0x20
)

// encodeGeometry returns the GeoPackage binary encoding of g with an XY
// envelope, little endian.
func encodeGeometry(g orb.Geometry, srsID int32) ([]byte, orb.Bound, error) {
	body, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, orb.Bound{}, err
	}
	empty := isEmpty(g)
	size := 8 + len(body)
	if !empty {
		size += 32
	}
	buf := make([]byte, 8, size)
	buf[0], buf[1], buf[2] = 'G', 'P', 0
	binary.LittleEndian.PutUint32(buf[4:], uint32(srsID))
	var b orb.Bound
	if empty {
		buf[3] = flagLittleEndian | flagEmpty
	} else {
		buf[3] = flagLittleEndian | flagEnvelopeXY
		b = g.Bound()
		for _, v := range [4]float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
	}
	return append(buf, body...), b, nil
}

// isEmpty reports whether g has no coordinates (GeoPackage empty flag).
func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Point:
		return false
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.MultiLineString:
		for _, l := range g {
			if len(l) > 0 {
				return false
			}
		}
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) == 0
	case orb.MultiPolygon:
		for _, p := range g {
			if !isEmpty(p) {
				return false
			}
		}
	case orb.Collection:
		for _, c := range g {
			if !isEmpty(c) {
				return false
			}
		}
	}
	return true
}

// envelopeSizes maps the envelope-contents indicator to its byte length
// (xy, xyz, xym, xyzm).
var envelopeSizes = [...]int{0, 32, 48, 48, 64}

// decodeGeometry parses a GeoPackage binary geometry blob.
func decodeGeometry(blob []byte) (orb.Geometry, error) {
	if len(blob) < 8 || blob[0] != 'G' || blob[1] != 'P' {
		return nil, errors.New("not a GeoPackage binary geometry (no GP magic)")
	}
	if blob[2] != 0 {
		return nil, fmt.Errorf("unsupported GeoPackage binary version %d", blob[2])
	}
	flags := blob[3]
	if flags&flagExtended != 0 {
		return nil, errors.New("extended GeoPackage binary geometry not supported")
	}
	env := int(flags>>1) & 0x07
	if env >= len(envelopeSizes) {
		return nil, fmt.Errorf("invalid envelope indicator %d", env)
	}
	start := 8 + envelopeSizes[env]
	if len(blob) < start {
		return nil, errors.New("truncated GeoPackage binary geometry")
	}
	g, err := wkb.Unmarshal(blob[start:])
	if err != nil || geo.Finite(g) {
		return g, err
	}
	if p, ok := g.(orb.Point); ok && math.IsNaN(p[0]) && math.IsNaN(p[1]) {
		return nil, nil // the empty point (GeoPackage 1.3, 2.1.3.1.1): no position
	}
	return nil, errors.New("a coordinate is not a finite number (NaN or infinity)")
}

//go:build js

package gazetteer

import (
	"errors"

	"github.com/paulmach/orb"
)

// wireGeometry stands for a place's geometry in its JSON record in the
// search compiled to WebAssembly (search/wasm). That build reads and writes
// no place records — its index carries what answers need
// (search.WriteCompact) — and leaves out orb's geojson package, whose
// import brings the MongoDB BSON codec (a third of the WebAssembly, see
// BENCHMARKS.md); a geometry there is refused rather than written wrong.
type wireGeometry struct{}

var errGeometryInBrowser = errors.New("gazetteer: the browser build of the search does not read or write place geometries; use the server or wumen export")

func newWireGeometry(orb.Geometry) *wireGeometry { return &wireGeometry{} }

// MarshalJSON refuses (see wireGeometry).
func (*wireGeometry) MarshalJSON() ([]byte, error) { return nil, errGeometryInBrowser }

// UnmarshalJSON refuses (see wireGeometry).
func (*wireGeometry) UnmarshalJSON([]byte) error { return errGeometryInBrowser }

// unmarshalWKT refuses in the browser build, which reads no CSV (orb's wkt
// package brings the regexp package; see wireGeometry).
func unmarshalWKT(string) (orb.Geometry, error) { return nil, errGeometryInBrowser }

// marshalWKT writes nothing in the browser build (see unmarshalWKT).
func marshalWKT(orb.Geometry) string { return "" }

// Geometry is none (see wireGeometry).
func (*wireGeometry) Geometry() orb.Geometry { return nil }

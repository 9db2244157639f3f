//go:build !js

package gazetteer

import (
	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// fastOptions are encoding/json's semantics (case-insensitive member names,
// duplicate members allowed, the same methods called) with unknown members
// refused, as decodeStrict refuses them.
var fastOptions = jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsonv2.RejectUnknownMembers(true))

// decodeFast decodes one record with the go-json-experiment decoder, about
// twice as fast as encoding/json's on a record (BENCHMARKS.md, "Import"). It
// reports false on any error, and decodeRecord then decodes the record again
// with encoding/json, whose errors jsonError turns into words for a user: a
// file that imports goes the fast way, a bad record is explained as before.
func decodeFast(b []byte, w *placeJSON) bool {
	return jsonv2.Unmarshal(b, w, fastOptions) == nil
}

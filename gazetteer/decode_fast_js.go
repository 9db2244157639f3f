//go:build js

package gazetteer

// decodeFast is not in the browser build (it would grow search.wasm, which
// reads no records): decodeRecord uses encoding/json there.
func decodeFast([]byte, *placeJSON) bool { return false }

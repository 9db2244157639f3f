//go:build !js

package gazetteer

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// RevisionChecksum is the checksum a Position carries of the revision it
// was taken at: of the revision's number, place, time, actor and record, so
// that another revision under the same number never passes for it.
//
// The backends (gazetteer/sqlite, gazetteer/postgres) call it; the search
// compiled to WebAssembly reads no store, and leaving it out there keeps
// the crypto packages out of that build.
func RevisionChecksum(id, placeID int64, at, actor, after string) string {
	h := sha256.New()
	for _, f := range []string{strconv.FormatInt(id, 10), strconv.FormatInt(placeID, 10), at, actor, after} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

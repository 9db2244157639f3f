//go:build !unix

package search

import (
	"os"
	"unsafe"
)

// mapFile returns the contents of the file at path as a string: read
// whole where files are not memory-mapped (see mapfile_unix.go), the bytes
// never written again, so the string is made without a copy.
func mapFile(path string) (data string, release func(), err error) {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return "", func() {}, err
	}
	return unsafe.String(&b[0], len(b)), func() {}, nil
}

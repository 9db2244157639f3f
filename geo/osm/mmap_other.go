//go:build !unix

package osm

import (
	"io"
	"os"
)

// mapFile reads the file into memory where no memory map is available.
func mapFile(f *os.File, size int) ([]byte, error) {
	b := make([]byte, size)
	_, err := io.ReadFull(io.NewSectionReader(f, 0, int64(size)), b)
	return b, err
}

func unmapFile(b []byte) error { return nil }

//go:build unix

package osm

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-write (Freeze may sort in
// place); the pages live in the page cache, not on the Go heap.
func mapFile(f *os.File, size int) ([]byte, error) {
	return syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
}

func unmapFile(b []byte) error { return syscall.Munmap(b) }

//go:build unix

package search

import (
	"os"
	"syscall"
	"unsafe"
)

// mapFile returns the contents of the file at path as a string backed by a
// read-only shared memory mapping, so the strings decoded from it (the
// places' names, the name table's keys) are substrings of the page cache
// and not of the heap. The mapping is not undone once an index uses it:
// a result may hold its strings after the index is closed. release undoes
// it while nothing does (an open that failed). An index's files are never
// rewritten in place (a build makes a new directory), which would fault
// the reads.
func mapFile(path string) (data string, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", nil, err
	}
	if fi.Size() == 0 {
		return "", func() {}, nil
	}
	if fi.Size() != int64(int(fi.Size())) {
		return "", nil, &os.PathError{Op: "mmap", Path: path, Err: syscall.EFBIG}
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return "", nil, &os.PathError{Op: "mmap", Path: path, Err: err}
	}
	return unsafe.String(&b[0], len(b)), func() { syscall.Munmap(b) }, nil
}

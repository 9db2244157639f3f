//go:build js

package search

// disk is a server's index directory (disk.go); in a browser the index is
// a compact one (compact.go), held in memory only.
type disk struct{}

// ReadOnly reports whether the index cannot be changed: in a browser it
// never can (a compact index).
func (ix *Index) ReadOnly() bool { return true }

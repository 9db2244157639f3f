//go:build js

package search

// disk is a server's index directory (disk.go); in a browser the index is
// a compact one (compact.go), held in memory only.
type disk struct{}

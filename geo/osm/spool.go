package osm

import (
	"bufio"
	"fmt"
	"os"
	"sort"
)

// spool is an append-only temporary file of fixed-size records, mapped
// into memory once writing ends; the indexes are built on it.
type spool struct {
	what   string // for errors: "node location index"
	f      *os.File
	w      *bufio.Writer
	size   int  // record size in bytes
	n      int  // records written
	sorted bool // records came in increasing leading-id order
	data   []byte
}

func newSpool(dir, what string, size, buf int) (*spool, error) {
	f, err := os.CreateTemp(dir, "wumen-osm-*")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &spool{what: what, f: f, w: bufio.NewWriterSize(f, buf), size: size, sorted: true}, nil
}

func (s *spool) write(b []byte) error {
	s.n++
	_, err := s.w.Write(b)
	return err
}

// freeze flushes and maps the file, sorting the records by their leading id
// if they were written out of order.
func (s *spool) freeze() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("%s: %w", s.what, err)
	}
	if s.n == 0 {
		return nil
	}
	data, err := mapFile(s.f, s.n*s.size)
	if err != nil {
		return fmt.Errorf("%s: %w", s.what, err)
	}
	s.data = data
	if !s.sorted {
		sort.Sort(recordSorter{data, s.size})
	}
	return nil
}

// close unmaps and removes the file.
func (s *spool) close() error {
	var err error
	if s.data != nil {
		err = unmapFile(s.data)
		s.data = nil
	}
	s.f.Close()
	if e := os.Remove(s.f.Name()); err == nil {
		err = e
	}
	return err
}

package pmtiles

import (
	"encoding/json"
	"fmt"
	"io"
)

// Reader reads tiles from an archive. It caches the root directory; leaf
// directories are read on demand. It is safe for concurrent use when the
// underlying io.ReaderAt is.
type Reader struct {
	r      io.ReaderAt
	header Header
	root   []Entry
}

// maxDirectoryLen bounds a directory read from an untrusted archive.
const maxDirectoryLen = 64 << 20

// NewReader reads the header and root directory of the archive in r.
func NewReader(r io.ReaderAt) (*Reader, error) {
	b := make([]byte, HeaderLen)
	if _, err := r.ReadAt(b, 0); err != nil {
		return nil, fmt.Errorf("pmtiles: header: %w", err)
	}
	h, err := unmarshalHeader(b)
	if err != nil {
		return nil, err
	}
	if h.InternalCompression != Gzip {
		return nil, fmt.Errorf("pmtiles: internal compression %d not supported (only gzip)", h.InternalCompression)
	}
	rd := &Reader{r: r, header: h}
	if rd.root, err = rd.directory(h.RootOffset, h.RootLength); err != nil {
		return nil, fmt.Errorf("pmtiles: root directory: %w", err)
	}
	return rd, nil
}

// Header returns the archive header.
func (rd *Reader) Header() Header { return rd.header }

func (rd *Reader) section(off, n uint64) ([]byte, error) {
	if n > maxDirectoryLen {
		return nil, fmt.Errorf("section of %d bytes too large", n)
	}
	b := make([]byte, n)
	_, err := rd.r.ReadAt(b, int64(off))
	return b, err
}

func (rd *Reader) directory(off, n uint64) ([]Entry, error) {
	b, err := rd.section(off, n)
	if err != nil {
		return nil, err
	}
	return decodeDirectory(b)
}

// Metadata decodes the JSON metadata.
func (rd *Reader) Metadata() (Metadata, error) {
	var m Metadata
	b, err := rd.section(rd.header.MetadataOffset, rd.header.MetadataLength)
	if err == nil {
		b, err = Gunzip(b)
	}
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		return m, fmt.Errorf("pmtiles: metadata: %w", err)
	}
	return m, nil
}

// Tile returns the stored bytes of z/x/y (compressed as
// Header().TileCompression says), or nil if the archive has no such tile.
func (rd *Reader) Tile(z uint8, x, y uint32) ([]byte, error) {
	if err := checkTile(z, x, y); err != nil {
		return nil, err
	}
	id := ZxyToID(z, x, y)
	dir := rd.root
	for depth := 0; depth < 4; depth++ { // spec §4: depth is small; 4 stops cycles
		e, ok := findEntry(dir, id)
		if !ok {
			return nil, nil
		}
		if e.RunLength > 0 {
			b, err := rd.section(rd.header.DataOffset+e.Offset, uint64(e.Length))
			if err != nil {
				return nil, fmt.Errorf("pmtiles: tile %d/%d/%d: %w", z, x, y, err)
			}
			return b, nil
		}
		var err error
		if dir, err = rd.directory(rd.header.LeafOffset+e.Offset, uint64(e.Length)); err != nil {
			return nil, fmt.Errorf("pmtiles: leaf directory for %d/%d/%d: %w", z, x, y, err)
		}
	}
	return nil, fmt.Errorf("pmtiles: tile %d/%d/%d: directories nested too deep", z, x, y)
}

// Entries calls fn for every tile entry in tile-ID order, descending into
// leaf directories.
func (rd *Reader) Entries(fn func(Entry) error) error {
	return rd.walk(rd.root, 0, fn)
}

func (rd *Reader) walk(dir []Entry, depth int, fn func(Entry) error) error {
	if depth > 3 {
		return fmt.Errorf("pmtiles: directories nested too deep")
	}
	for _, e := range dir {
		if e.RunLength > 0 {
			if err := fn(e); err != nil {
				return err
			}
			continue
		}
		leaf, err := rd.directory(rd.header.LeafOffset+e.Offset, uint64(e.Length))
		if err != nil {
			return fmt.Errorf("pmtiles: leaf directory at %d: %w", e.Offset, err)
		}
		if err := rd.walk(leaf, depth+1, fn); err != nil {
			return err
		}
	}
	return nil
}

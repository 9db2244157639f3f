//go:build !js

package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"

	"wumen/gazetteer"
)

// positionFile holds the gazetteer.Position of the store the index has
// applied: every revision up to it is in the index (its snapshot and journal,
// both synced before the file is written). An index without it cannot tell
// where it stands and is rebuilt.
const positionFile = "position.json"

// Position returns the store position saved with SetPosition, and false when
// none was saved (a fresh Build, or an index of an older version).
func (ix *Index) Position() (gazetteer.Position, bool) {
	if ix.ReadOnly() {
		return ix.roPos, ix.roPos.Store != ""
	}
	return readPosition(ix.dir)
}

// readPosition reads the position saved in dir.
func readPosition(dir string) (gazetteer.Position, bool) {
	var p gazetteer.Position
	b, err := os.ReadFile(filepath.Join(dir, positionFile))
	if err != nil || json.Unmarshal(b, &p) != nil || p.Store == "" {
		return gazetteer.Position{}, false
	}
	return p, true
}

// SetPosition records that every revision of the store up to p is applied to
// the index. It first syncs the journal of changes, then replaces the position
// file atomically (write aside, sync, rename), so after a crash the saved
// position never claims more than the index holds: the caller catches up from
// it, and applying a change twice is harmless.
func (ix *Index) SetPosition(p gazetteer.Position) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if ix.ReadOnly() {
		return ErrReadOnly
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return errors.New("search: index closed")
	}
	if err := ix.journal.Sync(); err != nil {
		return err
	}
	dst := filepath.Join(ix.dir, positionFile)
	tmp := dst + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// repairJournal cuts a torn last line (a crash in the middle of a write) off
// the journal, so the next change appended starts a line of its own instead
// of being glued to the fragment and lost at the next open.
func repairJournal(dir string) error {
	name := filepath.Join(dir, journalFile)
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	// Read backwards in blocks to the last newline.
	const block = 64 << 10
	end := fi.Size()
	buf := make([]byte, block)
	for off := end; off > 0; {
		n := int64(block)
		if off < n {
			n = off
		}
		off -= n
		if _, err := f.ReadAt(buf[:n], off); err != nil && err != io.EOF {
			return err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			if keep := off + int64(i) + 1; keep != end {
				return f.Truncate(keep)
			}
			return nil
		}
	}
	return f.Truncate(0)
}

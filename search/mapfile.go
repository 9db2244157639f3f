package search

import "sync"

// mappings are the files an open has mapped (mapFile), so that a failed
// open undoes them.
type mappings struct {
	mu   sync.Mutex
	undo []func()
}

// read maps the file at path (mapFile) and records it.
func (m *mappings) read(path string) (string, error) {
	data, release, err := mapFile(path)
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	m.undo = append(m.undo, release)
	m.mu.Unlock()
	return data, nil
}

// release undoes every mapping; nothing may use them any more.
func (m *mappings) release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.undo {
		f()
	}
	m.undo = nil
}

package gazetteer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/paulmach/orb"
)

// Walk is a route (路线) through place names: ordered stops, each with the
// story of its name. Walks are data (data/walks.jsonl), not code.
type Walk struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	TitleEn   string `json:"title_en,omitempty"`
	Summary   string `json:"summary,omitempty"`
	SummaryEn string `json:"summary_en,omitempty"`
	Stops     []Stop `json:"stops"`
	Source    string `json:"source,omitempty"`
}

// Stop is one stop of a walk.
type Stop struct {
	Place  int64  `json:"place"`
	Note   string `json:"note,omitempty"`
	NoteEn string `json:"note_en,omitempty"`
}

// ReadWalks reads walks as JSON Lines, naming the file and line of a bad one.
func ReadWalks(r io.Reader, name string) ([]Walk, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var out []Walk
	for i := 1; ; i++ {
		var w Walk
		err := dec.Decode(&w)
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, &Error{Code: EInvalid, Where: fmt.Sprintf("%s: walk %d", name, i), Message: err.Error()}
		}
		if w.ID == "" || w.Title == "" || len(w.Stops) < 2 {
			return nil, &Error{Code: EInvalid, Where: fmt.Sprintf("%s: walk %d", name, i), Message: "a walk needs an id, a title and at least 2 stops"}
		}
		out = append(out, w)
	}
}

// PutWalks replaces the stored walks, checking every stop names a place.
func (s *Store) PutWalks(ctx context.Context, walks []Walk) error {
	now := s.now().UTC().Format(time.RFC3339)
	return s.Update(ctx, func(tx Tx) error {
		for _, w := range walks {
			ids := make([]int64, len(w.Stops))
			for j, st := range w.Stops {
				ids[j] = st.Place
			}
			stored, err := tx.Stored(ctx, ids)
			if err != nil {
				return err
			}
			for j, st := range w.Stops {
				if stored[st.Place] == nil {
					return &Error{Code: EInvalid, Where: fmt.Sprintf("walk %s: stops[%d].place", w.ID, j), Message: fmt.Sprintf("no place %d", st.Place)}
				}
			}
		}
		return tx.PutWalks(ctx, walks, now)
	})
}

// Walks returns every walk in order.
func (s *Store) Walks(ctx context.Context) ([]Walk, error) { return s.b.Walks(ctx) }

// Walk returns one walk.
func (s *Store) Walk(ctx context.Context, id string) (*Walk, error) {
	ws, err := s.Walks(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ws {
		if ws[i].ID == id {
			return &ws[i], nil
		}
	}
	return nil, Errorf(ENotFound, "walk %q not found", id)
}

// Route returns the walk's line through the label points of its stops that
// have a position, and the stops' places in order.
func (s *Store) Route(ctx context.Context, w *Walk) (orb.LineString, []*Place, error) {
	var line orb.LineString
	var places []*Place
	for _, st := range w.Stops {
		p, err := s.Get(ctx, st.Place)
		if err != nil {
			return nil, nil, err
		}
		places = append(places, p)
		if p.Label != nil {
			line = append(line, *p.Label)
		}
	}
	return line, places, nil
}

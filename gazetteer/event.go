package gazetteer

import (
	"context"
	"strings"
)

// ApplyEvent records a lifecycle event (命名, 更名, 注销, 起止点调整) on a
// place as one revision. A renaming keeps the old standard name as a
// historical name ending on the event's date (docs/domain.md §1); a cancellation
// changes the status and keeps every name — nothing is hard-deleted.
func (s *Store) ApplyEvent(ctx context.Context, id int64, e Event, c Change) (*Place, error) {
	return s.ApplyEventWith(ctx, id, e, c, PutOptions{})
}

// ApplyEventWith is ApplyEvent with write options: opt.Also runs in the same
// transaction as the event's revision.
func (s *Store) ApplyEventWith(ctx context.Context, id int64, e Event, c Change, opt PutOptions) (*Place, error) {
	if !validEvents[e.Type] {
		return nil, invalid("type", "unknown event type %q", e.Type)
	}
	p, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	switch e.Type {
	case EventRenaming:
		to := strings.TrimSpace(e.To)
		if to == "" {
			return nil, invalid("to", "a renaming needs the new name")
		}
		if to == p.Name {
			return nil, invalid("to", "the new name is the current name")
		}
		e.From = p.Name
		start := ""
		for _, ev := range p.Events {
			if ev.Type == EventNaming || ev.Type == EventRenaming {
				start = ev.Date
			}
		}
		p.Names = append(p.Names, Name{Text: p.Name, Script: ScriptHans, Kind: KindHistorical, Start: start, End: e.Date, Citation: e.Document})
		p.Name, p.Specific, p.Generic, p.Pinyin, p.Sign = to, "", "", "", ""
	case EventCancel:
		if p.Status == StatusCancelled {
			return nil, Errorf(EConflict, "place %d is already cancelled", id)
		}
		p.Status = StatusCancelled
	}
	p.Events = append(p.Events, e)
	opt.IfUpdated = p.Updated
	if _, err := s.PutAll(ctx, []Input{{Place: p}}, c, opt); err != nil {
		return nil, err
	}
	return p, nil
}

package review

import "context"

// ApplyAs applies p as actor, marking it applied from the state from: what
// a second officer holding a stale copy of p does (workflow_test).
func (s *Service) ApplyAs(ctx context.Context, p *Proposal, actor string, from State) (int64, error) {
	return s.apply(ctx, p, actor, func(ctx context.Context, tx Tx, id int64) error {
		return s.save(ctx, tx, p, nil, actor, ActApply, from, Applied, "")
	})
}

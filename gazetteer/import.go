package gazetteer

import (
	"context"
	"fmt"
	"iter"
	"strings"
)

// Records is a stream of records to import, as readers yield them: a record
// with a nil error, or a bad record's place (Where) with the error that
// names its field.
type Records = iter.Seq2[Input, error]

// maxListed bounds how many bad records an import error lists; all are
// counted.
const maxListed = 100

// Slice turns records read into memory into a stream.
func Slice(in []Input) Records {
	return func(yield func(Input, error) bool) {
		for _, r := range in {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Import validates and writes a stream of records in one transaction, each
// with its revision. Every bad record is reported with its file, row and
// field; unless opt.SkipInvalid, one bad record means nothing is written and
// the error lists them all (the first hundred by name). With SkipInvalid the
// good records are written and the report's Skipped says what was left out.
func (s *Store) Import(ctx context.Context, recs Records, c Change, opt PutOptions) (*Report, error) {
	var good []Input
	var bad []string
	nbad := 0
	note := func(err error) {
		nbad++
		if len(bad) < maxListed {
			bad = append(bad, ErrorMessage(err))
		}
	}
	for r, err := range recs {
		if cerr := ctx.Err(); cerr != nil {
			return nil, interrupted(cerr)
		}
		if err == nil {
			Derive(r.Place)
			err = At(s.cats.Validate(r.Place), r.Where)
		}
		if err != nil {
			if ErrorCode(err) != EInvalid {
				return nil, err
			}
			note(err)
			continue
		}
		good = append(good, r)
	}
	if nbad > 0 && !opt.SkipInvalid {
		return nil, invalidRecords(bad, nbad, len(good)+nbad)
	}
	rep, err := s.PutAll(ctx, good, c, opt)
	if err != nil {
		return nil, err
	}
	rep.Skipped, rep.SkippedCount = bad, nbad
	return rep, nil
}

// invalidRecords is the error of an import with bad records: each listed on
// its own line.
func invalidRecords(listed []string, n, total int) *Error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d records are invalid; nothing was written (fix them, or use --skip-invalid to import the rest):", n, total)
	for _, m := range listed {
		b.WriteString("\n  " + m)
	}
	if n > len(listed) {
		fmt.Fprintf(&b, "\n  … and %d more", n-len(listed))
	}
	return &Error{Code: EInvalid, Message: b.String()}
}

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
	if c.Actor == "" {
		return nil, Errorf(EInvalid, "a write needs an actor (who)")
	}
	var bad []string
	nbad := 0
	rep, err := s.write(ctx, c, opt, func(w *writer) error {
		var n int
		var err error
		bad, nbad, n, err = s.readInto(ctx, recs, w, opt.SkipInvalid)
		if err == nil && nbad > 0 && !opt.SkipInvalid {
			err = invalidRecords(bad, nbad, n)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	rep.Skipped, rep.SkippedCount = bad, nbad
	return rep, nil
}

// readInto reads, derives and validates the records beside the writer, a batch
// at a time (on two cores the import's CPU work and the backend's overlap),
// and hands the good ones to w. It returns the bad records (the first
// hundred), how many there were and how many records were read.
func (s *Store) readInto(ctx context.Context, recs Records, w *writer, skipInvalid bool) (bad []string, nbad, n int, err error) {
	stop := make(chan struct{})
	results := checked(recs, s.cats, w.now, stop)
	defer func() {
		close(stop)
		for range results { // the reader has stopped once results is closed
		}
	}()
	for {
		var items []checkedRecord
		var ok bool
		select {
		case items, ok = <-results:
		case <-ctx.Done():
			// SIGTERM while the reader validates: the transaction rolls
			// back, and the reader stops at its next record.
			return nil, 0, 0, interrupted(ctx.Err())
		}
		if !ok {
			break
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, 0, 0, interrupted(cerr)
		}
		for _, it := range items {
			n++
			if it.err != nil {
				if ErrorCode(it.err) != EInvalid {
					return nil, 0, 0, it.err
				}
				if nbad++; len(bad) < maxListed {
					bad = append(bad, ErrorMessage(it.err))
				}
				continue
			}
			if nbad > 0 && !skipInvalid {
				continue // nothing will be written: read on only to report
			}
			if err := w.add(it.in); err != nil {
				return nil, 0, 0, err
			}
		}
	}
	return bad, nbad, n, nil
}

// checkedRecord is a record derived and validated, or its error.
type checkedRecord struct {
	in  Input
	err error
}

// checkedBatch is how many records the reading goroutine hands over at
// once; a batch is handed over sooner when its geometries reach
// checkedVertices, so a file of large boundaries is not held 256 at a time.
const (
	checkedBatch    = 256
	checkedVertices = 1 << 18
)

// checked reads recs in a goroutine of its own, deriving, validating and
// encoding each record (encodeAhead, now being the write's time), and sends
// them on in batches until the stream ends or stop is closed. The records
// themselves are read (parsed, and checked by the reader's own wrappers,
// such as the import command's admin check) on another goroutine
// (prefetched), so that on two cores reading, deriving and writing overlap.
func checked(recs Records, cats *Categories, now string, stop <-chan struct{}) <-chan []checkedRecord {
	return batches(prefetched(recs, stop), stop, func(r Input, err error) checkedRecord {
		if err == nil {
			Derive(r.Place)
			if err = At(cats.Validate(r.Place), r.Where); err == nil {
				encodeAhead(&r, now)
			}
		}
		return checkedRecord{r, err}
	})
}

// prefetched yields the records of recs as they are read on a goroutine of
// its own, a batch ahead.
func prefetched(recs Records, stop <-chan struct{}) Records {
	return func(yield func(Input, error) bool) {
		quit := make(chan struct{})
		in := batches(recs, quit, func(r Input, err error) checkedRecord { return checkedRecord{r, err} })
		defer func() {
			close(quit)
			for range in { // the reading goroutine has stopped once in is closed
			}
		}()
		for {
			var batch []checkedRecord
			var ok bool
			select {
			case batch, ok = <-in:
			case <-stop:
				return
			}
			if !ok {
				return
			}
			for _, it := range batch {
				if !yield(it.in, it.err) {
					return
				}
			}
		}
	}
}

// batches ranges over recs in a goroutine of its own and sends each record
// as item makes it, checkedBatch at a time (sooner when their geometries
// reach checkedVertices, so a file of large boundaries is not held 256 at a
// time), until the stream ends or stop is closed; it reads no further
// record once stop is closed (an error, or SIGTERM).
func batches[T any](recs Records, stop <-chan struct{}, item func(Input, error) T) <-chan []T {
	out := make(chan []T, 4)
	go func() {
		defer close(out)
		batch := make([]T, 0, checkedBatch)
		send := func() bool {
			select {
			case out <- batch:
				batch = make([]T, 0, checkedBatch)
				return true
			case <-stop:
				return false
			}
		}
		weight := 0
		for r, err := range recs {
			select {
			case <-stop:
				return
			default:
			}
			batch = append(batch, item(r, err))
			if err == nil && r.Place != nil && r.Place.Geometry != nil {
				weight += vertices(r.Place.Geometry)
			}
			if len(batch) == checkedBatch || weight >= checkedVertices {
				if !send() {
					return
				}
				weight = 0
			}
		}
		if len(batch) > 0 {
			send()
		}
	}()
	return out
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

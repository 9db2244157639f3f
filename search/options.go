package search

import "time"

// Options are the tunables of building, opening and querying an index. A
// zero field takes its default, so Options{} is the index as Build and Open
// make it; tests set small values to exercise on the shipped dataset what
// only a large gazetteer reaches (many batches, hot lists).
type Options struct {
	// BatchSize is how many name documents go into one bleve batch (one
	// segment) while building. Default 12,500: at 1M names it built about
	// 15% faster than 25,000 or 50,000 (zap's per-segment maps stay in
	// cache), for no slower queries once merged.
	BatchSize int
	// BuildWorkers is how many workers tokenize places and fill batches side
	// by side while building. Default 2.
	BuildWorkers int
	// HotMin is how many names must share a key (a character, bigram or
	// syllable run) before the build gives it a hot list (hot.go). Default
	// 2,000.
	HotMin int
	// MaxRegionPlaces bounds the places a spatial filter hands to bleve as
	// document ids; above it the filter is applied to the best candidates
	// (filter.go). Default 20,000.
	MaxRegionPlaces int
	// Window and PrefixWindow are the fewest candidates bleve returns for
	// re-ranking, for a search and for autocomplete; a page further on
	// takes twice (search) or three times (autocomplete) its end. Defaults
	// 100 and 30. RegionWindow is the fewest when a large spatial filter is
	// applied to the candidates. Default 1,000.
	Window, PrefixWindow, RegionWindow int
	// BusyWait is how long Open waits for another process that holds the
	// index (a running server) before it returns ErrBusy. Default 3 s.
	BusyWait time.Duration
}

// Defaults of Options.
const (
	DefaultBatchSize       = 12500
	DefaultBuildWorkers    = 2
	DefaultHotMin          = 2000
	DefaultMaxRegionPlaces = 20000
	DefaultWindow          = 100
	DefaultPrefixWindow    = 30
	DefaultRegionWindow    = 1000
	DefaultBusyWait        = 3 * time.Second
)

// orDefault is v, or def when v is not set.
func orDefault[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// withDefaults is o with every unset field at its default.
func (o Options) withDefaults() Options {
	o.BatchSize = orDefault(o.BatchSize, DefaultBatchSize)
	o.BuildWorkers = orDefault(o.BuildWorkers, DefaultBuildWorkers)
	o.HotMin = orDefault(o.HotMin, DefaultHotMin)
	o.MaxRegionPlaces = orDefault(o.MaxRegionPlaces, DefaultMaxRegionPlaces)
	o.Window = orDefault(o.Window, DefaultWindow)
	o.PrefixWindow = orDefault(o.PrefixWindow, DefaultPrefixWindow)
	o.RegionWindow = orDefault(o.RegionWindow, DefaultRegionWindow)
	o.BusyWait = orDefault(o.BusyWait, DefaultBusyWait)
	return o
}

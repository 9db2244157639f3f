package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/gazetteer/export"
	"wumen/gazetteer/formats"
	"wumen/gazetteer/osmimport"
	"wumen/gazetteer/postgres"
	"wumen/gazetteer/stores"
	"wumen/geo"
	"wumen/search"
)

func init() {
	register(&command{name: "init", help: "create the store from the embedded dataset (fails if it exists, unless --force)", run: cmdInit})
	register(&command{name: "import", args: "FILE...", help: "import JSON Lines, GeoJSON, CSV, census tables (.xlsx, GBK CSV), Shapefiles, GeoPackage or Linked Places records, or an OpenStreetMap extract (.osm.pbf, .osm, Overpass JSON; conflated with the places held) (one transaction; --dry-run shows the changes)", run: cmdImport})
	register(&command{name: "export", help: "export places: jsonl, geojson, geojsonl, csv, gpkg, kml, lpf, lptsv, pmtiles (filters: --category --admin --heritage --bbox --since …)", run: cmdExport})
	register(&command{name: "show", args: "ID|CODE", help: "print one place as JSON, with --revisions its history", run: cmdShow})
	register(&command{name: "backup", args: "FILE", help: "write a consistent copy of the live store (restore: stop the server, copy FILE over the store)", run: cmdBackup})
	register(&command{name: "event", args: "ID", help: "record a lifecycle event (--type naming|renaming|cancel|adjust --document … --date … --to NEW)", run: cmdEvent})
}

// progress returns a progress callback drawing a bar on stderr, or nil when
// quiet or when max is tiny; a max of -1 shows a running count.
func (e *env) progress(max int, what string) (func(int), func()) {
	if e.quiet || (max >= 0 && max < 1000) || !isTerminal(e.stderr) {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(max, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription(what),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	return func(n int) { bar.Set(n) }, func() { bar.Finish() }
}

// isTerminal reports whether w is a terminal: progress bars are for people,
// not for logs and pipes.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// openStore opens the store at e.db, creating it from the embedded dataset
// when the file does not exist.
func (e *env) openStore(ctx context.Context) (*gazetteer.Store, error) {
	s, fresh, err := stores.Open(ctx, e.db)
	if err != nil {
		return nil, err
	}
	if b, err := data.FS.ReadFile("categories.json"); err == nil {
		c, err := gazetteer.ParseCategories(b)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.SetCategories(c)
	}
	if fresh {
		if err := e.seed(ctx, s); err != nil {
			s.Close()
			if !postgres.IsURL(e.db) {
				os.Remove(e.db)
			}
			return nil, err
		}
	}
	return s, nil
}

func (e *env) seed(ctx context.Context, s *gazetteer.Store) error {
	prog, done := e.progress(2500, "loading the embedded dataset")
	rep, err := s.Seed(ctx, data.FS, prog)
	done()
	if err != nil {
		return err
	}
	if !e.quiet {
		fmt.Fprintf(e.stderr, "created %s from the embedded dataset: %d places\n", stores.Name(e.db), rep.Created)
	}
	return nil
}

func cmdInit(ctx context.Context, e *env, args []string) error {
	c := &command{name: "init", help: "create the store from the embedded dataset"}
	fs := e.flags(c)
	force := fs.Bool("force", false, "replace an existing store")
	empty := fs.Bool("empty", false, "create an empty store (schema only), not the embedded dataset")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if exists, err := stores.Exists(ctx, e.db); err != nil {
		return err
	} else if exists && postgres.IsURL(e.db) {
		return gazetteer.Errorf(gazetteer.EConflict, "%s is set up already (to start again, drop the database and create it anew)", stores.Name(e.db))
	} else if exists {
		if !*force {
			return gazetteer.Errorf(gazetteer.EConflict, "%s exists (use --force to replace it)", e.db)
		}
		for _, suf := range []string{"", "-wal", "-shm"} {
			os.Remove(e.db + suf)
		}
	}
	if *empty {
		s, _, err := stores.Open(ctx, e.db)
		if err != nil {
			return err
		}
		return s.Close()
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	return s.Close()
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	c := &command{name: "import", args: "FILE...", help: "import records"}
	fs := e.flags(c)
	format := fs.String("format", "", formatHelp(append(formats.Imports(), osmimport.Format))+" (default: from the file extension; .osm.pbf, .osm, .osm.bz2, .osm.gz and Overpass .json are osm)")
	crsName := fs.String("crs", "", "CRS of the input coordinates: wgs84, cgcs2000, gcj02, bd09 (default: what the file says, else WGS84; CGCS2000 for census tables)")
	columns := fs.String("columns", "", "a JSON file mapping the file's column names to fields (see README)")
	outside := fs.Bool("allow-outside", false, "import records whose position lies outside the gazetteer's coverage (10 km around the positioned places)")
	skip := fs.Bool("skip-invalid", false, "import the valid records of a file with bad ones, and report what was skipped")
	dry := fs.Bool("dry-run", false, "show what would change, write nothing")
	actor := fs.String("actor", defaultActor(), "who makes the change (recorded in the revisions)")
	reason := fs.String("reason", "import", "why (recorded in the revisions)")
	match := fs.Bool("match-links", true, "a record without an id updates the place with the same OSM id, GeoNames id or statistical code")
	of := bindOSMFlags(fs)
	bo := boundaryFlags(fs)
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("import needs at least one FILE")
	}
	if osm, err := isOSM(files, *format); err != nil || osm {
		if err != nil {
			return err
		}
		return e.importOSM(ctx, files, of, *dry, gazetteer.Change{Actor: *actor, Reason: *reason})
	}
	var o inputOptions
	o.format = *format
	if *crsName != "" {
		if o.crs, err = geo.ParseCRS(*crsName); err != nil {
			return usagef("%v", err)
		}
	}
	if *columns != "" {
		if o.columns, err = census.ReadColumnMap(*columns); err != nil {
			return usagef("--columns %v", err)
		}
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	admin, err := s.AdminIndex(ctx)
	if err != nil {
		return err
	}
	var ins []*formats.Input
	defer func() {
		for _, in := range ins {
			in.Close()
		}
	}()
	for _, name := range files {
		in, err := openInput(s, admin, name, o)
		if err != nil {
			return err
		}
		ins = append(ins, in)
		if in.Note != "" && !e.quiet {
			fmt.Fprintln(e.stderr, "reading "+in.Note)
		}
	}
	if bo.title != "" {
		return e.importBoundaries(ctx, s, concat(ins), bo, gazetteer.Change{Actor: *actor, Reason: *reason}, *dry)
	}
	prog, done := e.progress(-1, "importing") // a stream: a running count
	start := time.Now()
	restoreGC := gazetteer.ImportGC() // until the search index is updated, with a heap of its own
	rep, err := s.Import(ctx, e.withAdminCheck(ctx, s, concat(ins), *outside), gazetteer.Change{Actor: *actor, Reason: *reason},
		gazetteer.PutOptions{DryRun: *dry, MatchLinks: *match, SkipInvalid: *skip, Progress: every(prog, 1000)})
	restoreGC()
	done()
	if err != nil {
		return err
	}
	took := time.Since(start)
	e.printSkipped(rep)
	if *dry {
		for _, o := range rep.Outcomes {
			if o.Action != gazetteer.Unchanged {
				fmt.Fprintf(e.stdout, "%s\t%s\t%d\t%s\n", o.Where, o.Action, o.ID, o.Name)
			}
		}
		fmt.Fprintf(e.stdout, "dry run: %d would be created, %d updated, %d unchanged; nothing written\n", rep.Created, rep.Updated, rep.Unchanged)
		return nil
	}
	n := rep.Created + rep.Updated + rep.Unchanged
	fmt.Fprintf(e.stdout, "imported: %d created, %d updated, %d unchanged in %.1f s (%.0f records/s)\n",
		rep.Created, rep.Updated, rep.Unchanged, took.Seconds(), float64(n)/took.Seconds())
	return e.updateIndex(ctx, s)
}

// updateIndex brings the store's search index up to date after a write, so
// that the import is searchable when the command returns. A store with no
// index yet gets one when it is first searched or served.
func (e *env) updateIndex(ctx context.Context, s *gazetteer.Store) error {
	dir := indexDir(e.db, "")
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	ix, err := e.openIndex(ctx, s, dir)
	if held := errors.Is(err, search.ErrBusy) || (err == nil && ix.ReadOnly()); held {
		if !e.quiet {
			fmt.Fprintln(e.stderr, "search index held by a running server: it follows the store and picks this change up")
		}
		if ix != nil {
			return ix.Close()
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("updating the search index: %w", err)
	}
	if !e.quiet {
		fmt.Fprintf(e.stderr, "search index %s up to date: %d places\n", dir, ix.Len())
	}
	return ix.Close()
}

// every calls fn with the running count every n records (and never when fn
// is nil).
func every(fn func(int), n int) func(int) {
	if fn == nil {
		return nil
	}
	return func(done int) {
		if done%n == 0 {
			fn(done)
		}
	}
}

func defaultActor() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// filterFlags binds the export filters shared by export and the API.
type filterFlags struct {
	category, admin, heritage, status, bbox, since, ids *string
	missing                                             *bool
	limit                                               *int
}

func bindFilter(fs interface {
	String(string, string, string) *string
	Bool(string, bool, string) *bool
	Int(string, int, string) *int
}) filterFlags {
	return filterFlags{
		category: fs.String("category", "", "大类 or 子类 (e.g. 桥梁)"),
		admin:    fs.String("admin", "", "statistical-code prefix of an administrative parent (e.g. 320508)"),
		heritage: fs.String("heritage", "", "heritage list name or level, or * for any"),
		status:   fs.String("status", "", "current, historical or cancelled"),
		bbox:     fs.String("bbox", "", "minLon,minLat,maxLon,maxLat (WGS84)"),
		since:    fs.String("since", "", "changed since this date (YYYY-MM-DD or RFC 3339)"),
		ids:      fs.String("ids", "", "comma-separated ids"),
		missing:  fs.Bool("missing-geometry", false, "only places awaiting a position"),
		limit:    fs.Int("limit", 0, "at most this many"),
	}
}

func (ff filterFlags) filter() (gazetteer.Filter, error) {
	flags := map[string]string{"category": *ff.category, "admin": *ff.admin, "heritage": *ff.heritage, "status": *ff.status,
		"bbox": *ff.bbox, "since": *ff.since, "ids": *ff.ids, "missing_geometry": strconv.FormatBool(*ff.missing)}
	f, err := gazetteer.ParseFilter(func(k string) string { return flags[k] })
	if err != nil {
		return f, usagef("--%v", err) // "--bbox: …", named as the flag
	}
	f.Limit = *ff.limit
	return f, nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	c := &command{name: "export", help: "export places"}
	fs := e.flags(c)
	format := fs.String("format", "jsonl", formatHelp(formats.Exports()))
	out := fs.String("o", "-", "output file (- for standard output)")
	crsName := fs.String("crs", "wgs84", "output CRS: wgs84, cgcs2000, gcj02, bd09")
	bom := fs.Bool("bom", false, "CSV: write a UTF-8 byte-order mark (for Excel)")
	ff := bindFilter(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	f, err := ff.filter()
	if err != nil {
		return err
	}
	crs, err := geo.ParseCRS(*crsName)
	if err != nil {
		return usagef("%v", err)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ft, err := formats.ForWrite(*format)
	if err != nil {
		return usagef("%s", gazetteer.ErrorMessage(err))
	}
	if *out == "-" && ft.File {
		return usagef("%s is written to a file: use -o FILE%s", ft.Name, ft.Ext())
	}
	total, err := s.Count(ctx, f)
	if err != nil {
		return err
	}
	prog, done := e.progress(total, "exporting")
	if *out == "-" {
		prog, done = nil, func() {}
	}
	o := export.Options{Export: gazetteer.ExportOptions{Filter: f, CRS: crs, BOM: *bom, Progress: prog}}
	var n int
	if *out == "-" {
		n, err = ft.Write(ctx, s, e.stdout, o)
	} else {
		n, err = ft.WriteFile(ctx, s, *out, o)
	}
	done()
	if err != nil {
		return err
	}
	if *out != "-" && !e.quiet {
		fmt.Fprintf(e.stderr, "wrote %d places to %s\n", n, *out)
	}
	if note := ft.LostNote(); note != "" {
		if ft.Sidecar && *out != "-" {
			note += "; this is said in " + formats.SidecarPath(*out) + " too"
		}
		fmt.Fprintln(e.stderr, "note: "+note)
	}
	return nil
}

func cmdShow(ctx context.Context, e *env, args []string) error {
	c := &command{name: "show", args: "ID|CODE", help: "print one place"}
	fs := e.flags(c)
	revs := fs.Bool("revisions", false, "print the place's revisions instead")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("show needs one ID or statistical code")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	var p *gazetteer.Place
	// A statistical code (4, 6, 9 or 12 digits) names an admin unit; an
	// argument that is no unit's code is an id.
	if n := len(pos[0]); n == 4 || n == 6 || n == 9 || n == 12 {
		p, err = s.GetByCode(ctx, pos[0])
	}
	if p == nil {
		id, perr := strconv.ParseInt(pos[0], 10, 64)
		if perr != nil {
			return usagef("%q is not an id or statistical code", pos[0])
		}
		p, err = s.Get(ctx, id)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if *revs {
		rs, err := s.Revisions(ctx, p.ID)
		if err != nil {
			return err
		}
		return enc.Encode(rs)
	}
	return enc.Encode(p)
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	c := &command{name: "backup", args: "FILE", help: "back up the store"}
	fs := e.flags(c)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("backup needs one FILE")
	}
	if _, err := os.Stat(pos[0]); err == nil {
		return gazetteer.Errorf(gazetteer.EConflict, "%s exists; choose a new file", pos[0])
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", stores.Name(e.db), pos[0])
	return nil
}

func cmdEvent(ctx context.Context, e *env, args []string) error {
	c := &command{name: "event", args: "ID", help: "record a lifecycle event"}
	fs := e.flags(c)
	typ := fs.String("type", "", "naming, renaming, cancel or adjust")
	ev := gazetteer.Event{}
	fs.StringVar(&ev.Date, "date", "", "date of the approval (YYYY-MM-DD)")
	fs.StringVar(&ev.Document, "document", "", "approval document number, e.g. 苏府地名函〔2019〕85号")
	fs.StringVar(&ev.To, "to", "", "the new name (renaming)")
	fs.StringVar(&ev.Start, "start", "", "road start point (adjust)")
	fs.StringVar(&ev.End, "end", "", "road end point (adjust)")
	fs.StringVar(&ev.Note, "note", "", "a note")
	actor := fs.String("actor", defaultActor(), "who records it")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("event needs one place ID")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return usagef("%q is not an id", pos[0])
	}
	ev.Type = *typ
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.ApplyEvent(ctx, id, ev, gazetteer.Change{Actor: *actor, Reason: "event " + ev.Type + " " + ev.Document})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d %s (%s)\n", ev.Type, p.ID, p.Name, p.Status)
	return nil
}

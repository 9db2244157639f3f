package main

import (
	"context"
	"fmt"
	"sort"

	"wumen/gazetteer"
	"wumen/gazetteer/stores"
)

func init() {
	register(&command{name: "migrate", help: "copy a whole store into an empty one, SQLite and PostgreSQL either way (--from wumen.db --to postgres://…): places, revisions, walks, proposals, officers and audit, all or nothing", run: cmdMigrate})
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	c := &command{name: "migrate", help: "copy a whole store into an empty one"}
	fs := e.flags(c)
	from := fs.String("from", "", "the store to copy: a SQLite file or a PostgreSQL URL")
	to := fs.String("to", "", "the empty store to copy into (created if it is a file that does not exist)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usagef("migrate needs --from and --to")
	}
	if exists, err := stores.Exists(ctx, *from); err != nil {
		return err
	} else if !exists {
		return gazetteer.Errorf(gazetteer.ENotFound, "%s: no store there to copy", stores.Name(*from))
	}
	src, _, err := stores.Open(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, _, err := stores.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := gazetteer.CopyStore(ctx, src.Backend(), dst.Backend())
	if err != nil {
		return err
	}
	if !e.quiet {
		var names []string
		for n := range counts {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(e.stderr, "copied %s to %s:", stores.Name(*from), stores.Name(*to))
		for _, n := range names {
			fmt.Fprintf(e.stderr, " %s %d", n, counts[n])
		}
		fmt.Fprintln(e.stderr)
	}
	return nil
}

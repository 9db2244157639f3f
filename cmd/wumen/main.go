// Command wumen is the Wumen (吴门) gazetteer of Suzhou place names: it keeps
// the SQLite store, imports and exports, builds the search index and serves
// the site and API. It only parses flags and wires the packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"wumen/gazetteer"
)

// Exit codes scripts can rely on.
const (
	exitOK       = 0
	exitError    = 1 // internal or I/O failure
	exitUsage    = 2 // bad flags or arguments
	exitInvalid  = 3 // bad input data (nothing was written)
	exitNotFound = 4 // the thing asked for does not exist
	exitConflict = 5
)

type command struct {
	name, args, help string
	run              func(ctx context.Context, env *env, args []string) error
}

// env is what every command shares: the flags common to all and the outputs.
type env struct {
	stdout, stderr io.Writer
	db             string
	quiet          bool
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks a bad command line (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sort.Slice(commands, func(i, j int) bool { return commands[i].name < commands[j].name })
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	var cmd *command
	for _, c := range commands {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "wumen: unknown command %q (see wumen --help)\n", args[0])
		return exitUsage
	}
	e := &env{stdout: stdout, stderr: stderr}
	err := cmd.run(ctx, e, args[1:])
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "wumen %s: %v\n", cmd.name, err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	switch gazetteer.ErrorCode(err) {
	case gazetteer.EInvalid:
		return exitInvalid
	case gazetteer.ENotFound:
		return exitNotFound
	case gazetteer.EConflict:
		return exitConflict
	}
	return exitError
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "wumen — the Wumen (吴门) gazetteer of Suzhou place names")
	fmt.Fprintln(w, "\nUsage: wumen COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.help)
	}
	fmt.Fprintln(w, "\nEvery command takes --db PATH (default ./wumen.db, or $WUMEN_DB); a missing store is created")
	fmt.Fprintln(w, "from the embedded dataset. 'wumen COMMAND --help' describes one command.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 error, 2 usage, 3 invalid input (nothing written), 4 not found, 5 conflict.")
}

// flags returns a FlagSet with the common flags bound to e.
func (e *env) flags(c *command) *flag.FlagSet {
	for _, r := range commands {
		if r.name == c.name {
			c = r // the registered help and argument summary
		}
	}
	fs := flag.NewFlagSet("wumen "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	def := os.Getenv("WUMEN_DB")
	if def == "" {
		def = "wumen.db"
	}
	fs.StringVar(&e.db, "db", def, "the store: a SQLite file, or a PostgreSQL database URL postgres://user@host:5432/db (env WUMEN_DB)")
	fs.BoolVar(&e.quiet, "quiet", false, "no progress bars")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: wumen %s [flags] %s\n\n%s\n\nFlags:\n", c.name, c.args, c.help)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, allowing them after positional arguments too.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

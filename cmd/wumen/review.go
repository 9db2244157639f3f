package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
)

func init() {
	register(&command{name: "review", args: "check NAME [--category CATEGORY] [--near LAT,LON | --geometry GEOJSON|WKT|FILE] [--admin CODE] [--scale lane] [--json]",
		help: "naming review (地名审核): check a proposed name (exit 3 when a block finding exists)", run: cmdReview})
	register(&command{name: "user", args: userUsage,
		help: "officer accounts: add (password from stdin or --password-file; no default), disable, enable, API tokens (list, new, revoke), list", run: cmdUser})
}

func cmdReview(ctx context.Context, e *env, args []string) error {
	c := &command{name: "review check", args: "NAME", help: "check a proposed name against the naming rules"}
	fs := e.flags(c)
	category := fs.String("category", "", "category in any form: 交通运输设施/道路街巷, 道路街巷, 街巷, 街, street, a GB/T 18521 code; none: taken from the name's 通名")
	near := fs.String("near", "", "where the place is: LAT,LON (WGS84); sets the county and township when --admin is not given")
	geometry := fs.String("geometry", "", "the proposed geometry, WGS84: GeoJSON or WKT, inline or a file name (a line or polygon)")
	admin := fs.String("admin", "", "statistical code of the jurisdiction (e.g. 320508)")
	scale := fs.String("scale", "", "lane for a small lane")
	action := fs.String("action", "naming", "naming, renaming, cancel or adjust")
	target := fs.Int64("target", 0, "the place renamed, cancelled or adjusted")
	protection := fs.String("protection", "", "protection measures recorded (条例 第二十五条)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if len(args) == 0 || args[0] != "check" {
		return usagef("usage: wumen review check NAME [--category CATEGORY] --near LAT,LON [--admin CODE] [--json]")
	}
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 1 || (len(pos) == 0 && *action == "naming") {
		return usagef("review check takes one NAME")
	}
	sub := review.Subject{Action: review.Action(*action), Admin: *admin, Scale: *scale, Target: *target, Protection: *protection}
	if len(pos) == 1 {
		sub.Name = pos[0]
	}
	sub.CategoryText = *category
	if *near != "" {
		la, lo, ok := strings.Cut(*near, ",")
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		if !ok || err1 != nil || err2 != nil {
			return usagef("--near wants LAT,LON, got %q", *near)
		}
		sub.Point = &orb.Point{lon, lat}
	}
	if *geometry != "" {
		text := *geometry
		if b, err := os.ReadFile(text); err == nil {
			text = string(b)
		}
		g, err := review.ParseGeometry(text)
		if err != nil {
			return fmt.Errorf("--geometry: %w", err)
		}
		sub.Geometry = g
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	rs, err := review.Open(s)
	if err != nil {
		return err
	}
	rep, err := rs.Checker.Check(ctx, sub)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(e.stdout, rep)
	}
	if rep.Blocked() {
		return gazetteer.Errorf(gazetteer.EInvalid, "%d block finding(s)", rep.Blocks)
	}
	return nil
}

func printReport(w io.Writer, rep *review.Report) {
	fmt.Fprintf(w, "%s — %d block, %d warn, %d note\n", rep.Subject.Name, rep.Blocks, rep.Warnings, rep.Notes)
	if rep.Category != nil {
		fmt.Fprintf(w, "category: %s\n", rep.Category.Message)
	}
	if rep.Location != nil {
		fmt.Fprintf(w, "jurisdiction: %s\n", rep.Location.Message)
	}
	if rep.Scope != "" {
		fmt.Fprintf(w, "scope: %s\n", rep.Scope)
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "%-5s %-24s %s\n      %s\n      %s\n", f.Severity, f.Rule, f.Message, f.MessageEN, f.Article)
		for _, p := range f.Places {
			fmt.Fprintf(w, "      → #%d %s", p.ID, p.Name)
			if p.Matched != "" {
				fmt.Fprintf(w, " (%s)", p.Matched)
			}
			if p.County != "" {
				fmt.Fprintf(w, " %s", p.County)
			}
			if p.DistanceM > 0 {
				fmt.Fprintf(w, " %.0f m", p.DistanceM)
			}
			fmt.Fprintln(w)
		}
	}
}

const userUsage = "add NAME --role admin|reviewer|editor | disable NAME | enable NAME | token NAME [--label L] | tokens NAME | revoke NAME TOKEN-ID | list"

// userArgs is how many arguments each user subcommand takes.
var userArgs = map[string]int{"add": 1, "disable": 1, "enable": 1, "token": 1, "tokens": 1, "revoke": 2, "list": 0}

func cmdUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("usage: wumen user %s", userUsage)
	}
	sub, args := args[0], args[1:]
	if sub == "-h" || sub == "--help" || sub == "help" {
		// Help never opens, let alone creates, a store.
		fmt.Fprintf(e.stderr, "Usage: wumen user %s\n\nEvery subcommand takes --db PATH; 'wumen user SUBCOMMAND --help' lists its flags.\n", userUsage)
		return nil
	}
	if _, ok := userArgs[sub]; !ok {
		return usagef("unknown user command %q (usage: wumen user %s)", sub, userUsage)
	}
	c := &command{name: "user " + sub, args: "NAME", help: "officer accounts"}
	fs := e.flags(c)
	role := fs.String("role", "", "admin, reviewer or editor")
	pwFile := fs.String("password-file", "", "read the password from this file (first line) instead of stdin")
	label := fs.String("label", "cli", "what the API token is for")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != userArgs[sub] && sub != "add" {
		return usagef("usage: wumen user %s", userUsage)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	as, err := account.Open(s)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		if len(pos) != 1 || *role == "" {
			return usagef("usage: wumen user add NAME --role admin|reviewer|editor (password on stdin or --password-file)")
		}
		return userAdd(ctx, e, as, pos[0], *role, *pwFile)
	case "token":
		if len(pos) != 1 {
			return usagef("usage: wumen user token NAME [--label L]")
		}
		actx := gazetteer.WithAudit(ctx, func() gazetteer.AuditEntry {
			return gazetteer.AuditEntry{Actor: "cli", Action: "user.token", Object: "user " + pos[0], Why: *label}
		})
		tok, err := as.NewToken(actx, pos[0], *label)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, tok)
	case "list":
		us, err := as.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range us {
			fmt.Fprintf(e.stdout, "%s\t%s\tdisabled=%v\t%s\n", u.Name, u.Role, u.Disabled, u.Created)
		}
	case "disable", "enable":
		return userEnable(ctx, e, as, pos[0], sub == "disable")
	case "tokens":
		return userTokens(ctx, e, as, pos[0])
	case "revoke":
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return usagef("%q is not a token id (see wumen user tokens %s)", pos[1], pos[0])
		}
		actx := gazetteer.WithAudit(ctx, func() gazetteer.AuditEntry {
			return gazetteer.AuditEntry{Actor: "cli", Action: "user.revoke", Object: "user " + pos[0], Why: "token " + pos[1]}
		})
		if err := as.RevokeToken(actx, pos[0], id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked token %d of %s\n", id, pos[0])
	}
	return nil
}

// userAdd adds an account with the password read from pwFile (its first
// line) or stdin, with its audit entry.
func userAdd(ctx context.Context, e *env, as *account.Service, name, role, pwFile string) error {
	var r io.Reader = os.Stdin
	if pwFile != "" {
		f, err := os.Open(pwFile)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return usagef("no password given (there is no default password): pipe it on stdin or use --password-file")
	}
	actx := gazetteer.WithAudit(ctx, func() gazetteer.AuditEntry {
		return gazetteer.AuditEntry{Actor: "cli", Action: "user.add", Object: "user " + name, Why: "role " + role}
	})
	u, err := as.AddUser(actx, name, role, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added %s (%s)\n", u.Name, u.Role)
	return nil
}

// userTokens lists an account's API tokens and their state.
func userTokens(ctx context.Context, e *env, as *account.Service, name string) error {
	ts, err := as.Tokens(ctx, name)
	if err != nil {
		return err
	}
	for _, t := range ts {
		state := "valid"
		if t.Revoked {
			state = "revoked"
		} else if t.Expired(as.Now()) {
			state = "expired"
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\tcreated %s\texpires %s\tlast used %s\n", t.ID, t.Label, state, t.Created, t.Expires, orNever(t.LastUsed))
	}
	return nil
}

// userEnable disables or enables an account (disabling ends its sessions and
// revokes its tokens), with its audit entry.
func userEnable(ctx context.Context, e *env, as *account.Service, name string, disable bool) error {
	actx := gazetteer.WithAudit(ctx, func() gazetteer.AuditEntry {
		return gazetteer.AuditEntry{Actor: "cli", Action: "user.disable", Object: "user " + name, Why: fmt.Sprintf("disabled=%v", disable)}
	})
	if err := as.SetDisabled(actx, name, disable); err != nil {
		return err
	}
	if disable {
		fmt.Fprintf(e.stdout, "disabled %s: sessions ended, API tokens revoked\n", name)
	} else {
		fmt.Fprintf(e.stdout, "enabled %s (old API tokens stay revoked)\n", name)
	}
	return nil
}

func orNever(s string) string {
	if s == "" {
		return "never"
	}
	return s
}

package osm

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/paulmach/osm"
)

// Conditions are the tag conditions of one row of a rule table (the
// gazetteer's data/osm_tags.tsv, the basemap's data/osm_basemap.tsv): all
// must hold for the row to apply. Written space separated:
//
//	key=value   the tag has that value (a|b|c: any of them; *: any value)
//	key         the tag is present
//	!key        the tag is absent
//	name        the object has a name
//	name~X|Y    its name ends in X or Y
type Conditions []condition

type condition struct {
	key    string
	values []string // nil: present; "*": any value
	absent bool
	suffix []string // for name~: the name ends in one of these
	name   bool     // the object has a name
}

// ParseConditions reads conditions as a rule table writes them.
func ParseConditions(s string) (Conditions, error) {
	var cs Conditions
	for _, tok := range strings.Fields(s) {
		var c condition
		switch {
		case tok == "name":
			c.name = true
		case strings.HasPrefix(tok, "name~"):
			c.name = true
			c.suffix = strings.Split(strings.TrimPrefix(tok, "name~"), "|")
		case strings.HasPrefix(tok, "!"):
			c.key, c.absent = tok[1:], true
		default:
			k, v, ok := strings.Cut(tok, "=")
			c.key = k
			if ok {
				c.values = strings.Split(v, "|")
			}
		}
		if c.key == "" && !c.name {
			return nil, fmt.Errorf("condition %q names no tag", tok)
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("no conditions")
	}
	return cs, nil
}

// Holds reports whether an object with these tags and standard name ("" for
// none) meets every condition.
func (cs Conditions) Holds(tags osm.Tags, name string) bool {
	for _, c := range cs {
		switch {
		case c.name:
			if name == "" {
				return false
			}
			if c.suffix != nil && !hasSuffix(name, c.suffix) {
				return false
			}
		case c.absent:
			if tags.Find(c.key) != "" {
				return false
			}
		default:
			v := tags.Find(c.key)
			if v == "" {
				return false
			}
			if c.values != nil && c.values[0] != "*" && !contains(c.values, v) {
				return false
			}
		}
	}
	return true
}

// Tag is the first condition on a present tag, as the object has it
// (highway=footway, building=yes): the tag a report names; "" when no
// condition is on a present tag.
func (cs Conditions) Tag(tags osm.Tags) string {
	for _, c := range cs {
		if c.key != "" && !c.absent {
			return c.key + "=" + tags.Find(c.key)
		}
	}
	return ""
}

func hasSuffix(s string, suf []string) bool {
	for _, x := range suf {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// EachRow calls fn with the tab-separated fields of every row of a rule
// table that is not blank or a # comment, requiring n fields; name is the
// table's file name for errors ("osm_tags.tsv:12: …").
func EachRow(b []byte, name string, n int, fn func(line int, f []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) != n {
			return fmt.Errorf("%s:%d: %d tab-separated columns, want %d", name, line, len(f), n)
		}
		if err := fn(line, f); err != nil {
			return err
		}
	}
	return sc.Err()
}

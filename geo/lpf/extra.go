package lpf

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
)

// Extra holds a producer's own members of an LPF object beside the
// format's: WHG's schema (v1.2) allows additional members in a feature's
// properties, its names, relations and descriptions, not at the feature's
// top level. They are written inline, keys sorted; reading keeps every
// member the struct does not name.
type Extra map[string]json.RawMessage

// Set stores v as the member key (marshalled as JSON; a nil v or a zero
// value leaves the member out).
func (e Extra) Set(key string, v any) {
	if v == nil {
		return
	}
	if rv := reflect.ValueOf(v); rv.IsZero() {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("lpf: extra member " + key + ": " + err.Error())
	}
	e[key] = b
}

// Get decodes the member key into v, reporting whether it is there.
func (e Extra) Get(key string, v any) (bool, error) {
	b, ok := e[key]
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(b, v)
}

// withExtra marshals v (a struct of the format's members, as an alias type
// without this method) and adds the extra members inline.
func withExtra(v any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for _, k := range keys {
		if len(buf.Bytes()) > 1 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(extra[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// extraOf reads the members of b that the struct type of v does not name.
func extraOf(b []byte, v any) (Extra, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		delete(all, name)
	}
	if len(all) == 0 {
		return nil, nil
	}
	return Extra(all), nil
}

type propertiesAlias Properties

// MarshalJSON writes the properties with their extra members.
func (p Properties) MarshalJSON() ([]byte, error) {
	return withExtra(propertiesAlias(p), p.Extra)
}

// UnmarshalJSON reads the properties and keeps other members in Extra.
func (p *Properties) UnmarshalJSON(b []byte) error {
	var a propertiesAlias
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	e, err := extraOf(b, a)
	*p = Properties(a)
	p.Extra = e
	return err
}

type nameAlias Name

// MarshalJSON writes the name with its extra members.
func (n Name) MarshalJSON() ([]byte, error) { return withExtra(nameAlias(n), n.Extra) }

// UnmarshalJSON reads the name and keeps other members in Extra.
func (n *Name) UnmarshalJSON(b []byte) error {
	var a nameAlias
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	e, err := extraOf(b, a)
	*n = Name(a)
	n.Extra = e
	return err
}

type relationAlias Relation

// MarshalJSON writes the relation with its extra members.
func (r Relation) MarshalJSON() ([]byte, error) { return withExtra(relationAlias(r), r.Extra) }

// UnmarshalJSON reads the relation and keeps other members in Extra.
func (r *Relation) UnmarshalJSON(b []byte) error {
	var a relationAlias
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	e, err := extraOf(b, a)
	*r = Relation(a)
	r.Extra = e
	return err
}

type descriptionAlias Description

// MarshalJSON writes the description with its extra members.
func (d Description) MarshalJSON() ([]byte, error) { return withExtra(descriptionAlias(d), d.Extra) }

// UnmarshalJSON reads the description and keeps other members in Extra.
func (d *Description) UnmarshalJSON(b []byte) error {
	var a descriptionAlias
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	e, err := extraOf(b, a)
	*d = Description(a)
	d.Extra = e
	return err
}

//go:build js

// Command wasm is the search of a static site, compiled to WebAssembly
// (GOOS=js GOARCH=wasm; the committed build is site/static/search/search.wasm,
// made by go generate in site). It opens the compact index the static build
// writes (search.WriteCompact) and answers as the server's API does: the
// same parameters (search.ParseQuery), the same index code and ranking, the
// same GeoJSON.
//
// It sets one global, wumenSearch, with
//
//	open(bytes: Uint8Array) → "" or an error message
//	search(params: string) → the /api/v1/search answer, as JSON text
//	autocomplete(params: string) → the /api/v1/autocomplete answer
//
// where params is a URL query string (text=山塘&size=8).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"runtime"
	"runtime/debug"
	"syscall/js"

	"wumen/gazetteer"
	"wumen/search"
)

var ix *search.Index

func main() {
	// The index is built once and lives as long as the page, and a
	// collection of its heap stops the page for longer than a keystroke may
	// take: collect only when the heap nears the limit (each answer leaves
	// some 100 KB of garbage, so that is after hundreds of keystrokes).
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(128 << 20)
	js.Global().Set("wumenSearch", js.ValueOf(map[string]any{
		"open":         js.FuncOf(open),
		"search":       js.FuncOf(func(_ js.Value, args []js.Value) any { return answer(args, false) }),
		"autocomplete": js.FuncOf(func(_ js.Value, args []js.Value) any { return answer(args, true) }),
	}))
	select {} // serve calls from JavaScript for as long as the page lives
}

func open(_ js.Value, args []js.Value) any {
	if len(args) != 1 {
		return "open takes the bytes of the compact index"
	}
	b := make([]byte, args[0].Get("length").Int())
	js.CopyBytesToGo(b, args[0])
	x, err := search.OpenCompact(bytes.NewReader(b))
	if err != nil {
		return err.Error()
	}
	ix = x
	// The first query initialises what the search builds lazily; run it
	// here, while the index loads, rather than on the visitor's first key.
	ix.Autocomplete(context.Background(), search.Query{Text: "苏州", Size: 8})
	ix.Search(context.Background(), search.Query{Text: "shantang", Size: 5})
	runtime.GC() // the garbage of opening, collected before the first key
	return ""
}

// apiError is the API's error body: {"error": {"code", "message"}}.
func apiError(code, msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": msg}})
	return string(b)
}

func answer(args []js.Value, auto bool) any {
	if ix == nil {
		return apiError("unavailable", "the search index is not loaded")
	}
	if len(args) != 1 {
		return apiError("invalid", "one argument: the query parameters")
	}
	v, err := url.ParseQuery(args[0].String())
	if err != nil {
		return apiError("invalid", err.Error())
	}
	q, err := search.ParseQuery(v)
	if err != nil {
		return apiError("invalid", err.Error())
	}
	var res *search.Result
	if auto {
		res, err = ix.Autocomplete(context.Background(), q)
	} else {
		res, err = ix.Search(context.Background(), q)
	}
	if err != nil {
		if e, ok := err.(*search.Error); ok {
			return apiError("invalid", e.Field+": "+e.Message)
		}
		return apiError("internal", err.Error())
	}
	extra := map[string]any{"total": res.Total, "attribution": gazetteer.Attribution}
	if res.Facets != nil {
		extra["facets"] = res.Facets
	}
	b, err := ix.FeatureCollectionJSON(res.Hits, ix.AdminName, extra, func(id int64, p map[string]any) {
		if path := ix.PagePath(id); path != "" {
			p["path"] = path // as the API gives it
		}
	})
	if err != nil {
		return apiError("internal", err.Error())
	}
	return string(b)
}

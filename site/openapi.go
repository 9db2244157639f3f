package site

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"

	"wumen/gazetteer/formats"
	"wumen/site/ogc"
)

// openAPIDoc is the OpenAPI 3.0 document of the public JSON API under
// /api/v1 (docs/api.md), served at
// /api/v1/openapi.json. The OGC API – Features under /ogc describes itself
// at /ogc/api. openapi_test.go keeps it honest: every route, parameter,
// status and property it lists is checked against the handlers.
//
// The export's formats — the format parameter's values and description
// and the response's media types — come from the format registry
// (gazetteer/formats), so a new format is documented without editing it.
//
//go:embed openapi.json
var openAPISource []byte

var openAPIDoc = withFormats(openAPISource)

// withFormats writes the format registry into /api/v1/export's operation.
func withFormats(src []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		panic("site/openapi.json: " + err.Error())
	}
	op := doc["paths"].(map[string]any)["/api/v1/export"].(map[string]any)["get"].(map[string]any)
	var desc []string
	for _, name := range formats.Exports() {
		f, _ := formats.Get(name)
		desc = append(desc, name+" ("+f.Title+")")
	}
	for _, p := range op["parameters"].([]any) {
		if p, ok := p.(map[string]any); ok && p["name"] == "format" {
			p["description"] = "Export format: " + strings.Join(desc, "; ") + "."
			p["schema"].(map[string]any)["enum"] = formats.Exports()
		}
	}
	content := op["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)
	kept := map[string]any{}
	for _, name := range formats.Exports() {
		f, _ := formats.Get(name)
		mt, _, _ := strings.Cut(f.MediaType, ";")
		if c, ok := content[mt]; ok {
			kept[mt] = c // its own, richer schema
		} else {
			kept[mt] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
		}
	}
	ok := op["responses"].(map[string]any)["200"].(map[string]any)
	ok["content"] = kept
	var lossy []string
	for _, name := range formats.Exports() {
		if f, _ := formats.Get(name); len(f.Lost) > 0 {
			lossy = append(lossy, name)
		}
	}
	ok["headers"] = map[string]any{ogc.LostHeader: map[string]any{
		"description": "Sent with the formats that cannot hold a whole Wumen record (" + strings.Join(lossy, ", ") +
			"): the fields the file lost, which an import of it does not give back, and the lossless formats.",
		"schema": map[string]any{"type": "string"}}}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	return out
}

// openAPIType is the media type of the OpenAPI document.
const openAPIType = "application/vnd.oai.openapi+json;version=3.0"

// handleOpenAPI serves the OpenAPI document with an ETag (CORS is opened for
// every /api/ path by openReads).
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	serveBytes(w, r, openAPIType, "public, max-age=300", openAPIDoc)
}

package site

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the OpenAPI 3.0 document of the public JSON API under
// /api/v1 (ARCHITECTURE.md, API conventions), served at
// /api/v1/openapi.json. The OGC API – Features under /ogc describes itself
// at /ogc/api. openapi_test.go keeps it honest: every route, parameter,
// status and property it lists is checked against the handlers.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPIType is the media type of the OpenAPI document.
const openAPIType = "application/vnd.oai.openapi+json;version=3.0"

// handleOpenAPI serves the OpenAPI document with an ETag (CORS is opened for
// every /api/ path by openReads).
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	serveBytes(w, r, openAPIType, "public, max-age=300", openAPIDoc)
}

package ogc

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIIsValid loads /ogc/api as a client generator would and
// validates it against the OpenAPI 3.0 rules (kin-openapi), so the
// definition GDAL and QGIS read for paging and filters is one they accept.
func TestOpenAPIIsValid(t *testing.T) {
	srv, _ := testServer(t)
	res, err := http.Get(srv.URL + "/ogc/api")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != TypeOpenAPI {
		t.Errorf("Content-Type %q, want %q", ct, TypeOpenAPI)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("not an OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI 3.0: %v", err)
	}
	if strings.Contains(string(b), ":null") {
		t.Errorf("the definition holds a null (OpenAPI fields are omitted, not null)")
	}
	for _, p := range []string{"/ogc/collections/{collectionId}/items"} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("no path %s", p)
		}
	}
}

package jsonapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"wumen/gazetteer"
)

func TestErrorStatusesAndBodies(t *testing.T) {
	cases := []struct {
		err      error
		status   int
		code     string
		message  string
		internal bool
	}{
		{gazetteer.Errorf(gazetteer.EInvalid, "bad <bbox>"), 400, "invalid", "bad <bbox>", false},
		{gazetteer.Errorf(gazetteer.ENotFound, "place 9 not found"), 404, "not_found", "place 9 not found", false},
		{gazetteer.Errorf(gazetteer.EConflict, "x"), 409, "conflict", "x", false},
		{gazetteer.Errorf(gazetteer.EUnauthorized, "x"), 401, "unauthorized", "x", false},
		{gazetteer.Errorf(gazetteer.EForbidden, "x"), 403, "forbidden", "x", false},
		{gazetteer.Errorf(gazetteer.ETooMany, "x"), 429, "too_many", "x", false},
		{errors.New("disk I/O error at /secret/path"), 500, "internal", "internal error", true},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		if got := Error(rec, c.err); got != c.internal {
			t.Errorf("%v: internal %v", c.err, got)
		}
		if rec.Code != c.status || rec.Header().Get("Content-Type") != ContentType {
			t.Errorf("%v: %d %s", c.err, rec.Code, rec.Header().Get("Content-Type"))
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if body.Error.Code != c.code || body.Error.Message != c.message {
			t.Errorf("%v: body %+v", c.err, body)
		}
	}
	if Status("whatever") != http.StatusInternalServerError {
		t.Error("unknown code must be 500")
	}
}

func TestErrorNamesTheField(t *testing.T) {
	rec := httptest.NewRecorder()
	Error(rec, &gazetteer.Error{Code: gazetteer.EInvalid, Where: "bbox", Message: "bbox must have 4 numbers"})
	var body struct {
		Error struct{ Code, Message, Field string }
	}
	json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != 400 || body.Error.Field != "bbox" {
		t.Errorf("%d %+v", rec.Code, body)
	}
}

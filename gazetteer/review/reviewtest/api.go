package reviewtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer/review"
)

// APIBody is the case as a client of POST /officer/api/check sends it: the
// category as written, the county only where the case gives one, the
// position (pos: "lat,lon" or WKT, as Position returns) as GeoJSON.
func (c Case) APIBody(pos string) ([]byte, error) {
	body := map[string]any{"kind": "naming", "name": c.Name}
	if c.Category != "" {
		body["category"] = c.Category
	}
	if c.Admin != "" {
		body["admin"] = c.Admin
	}
	if pos != "" {
		g, err := review.ParseGeometry(pos)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		body["geometry"] = geojson.NewGeometry(g)
	}
	return json.Marshal(body)
}

// CheckOverHTTP posts the case to the officer API at base (the server's
// root URL) with a bearer token and reads the answer as the report or the
// refusal, with the body it sent. A refusal must be 400 with the code
// "invalid"; anything else is err.
func (c Case) CheckOverHTTP(base, token, pos string) (rep *review.Report, refused error, sent []byte, err error) {
	sent, err = c.APIBody(pos)
	if err != nil {
		return nil, nil, nil, err
	}
	req, err := http.NewRequest("POST", base+"/officer/api/check", bytes.NewReader(sent))
	if err != nil {
		return nil, nil, sent, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, sent, err
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK {
		rep = new(review.Report)
		if err := json.NewDecoder(res.Body).Decode(rep); err != nil {
			return nil, nil, sent, fmt.Errorf("%s: the report cannot be read: %w", c, err)
		}
		return rep, nil, sent, nil
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil {
		return nil, nil, sent, fmt.Errorf("%s: HTTP %d, the error cannot be read: %w", c, res.StatusCode, err)
	}
	if res.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" {
		return nil, nil, sent, fmt.Errorf("%s: HTTP %d %+v, want 200 or 400 invalid", c, res.StatusCode, e.Error)
	}
	return nil, errors.New(e.Error.Message), sent, nil
}

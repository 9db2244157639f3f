package main

import (
	"fmt"
	"path/filepath"

	"wumen/gazetteer"
	"wumen/gazetteer/english"
)

// englishSources are the publishers of the established English names in
// src/english.tsv (its source column).
var englishSources = map[string]gazetteer.Source{
	"whc813":        {ID: "whc813", Title: "UNESCO World Heritage List: Classical Gardens of Suzhou (813)", URL: "https://whc.unesco.org/en/list/813/"},
	"whc1443":       {ID: "whc1443", Title: "UNESCO World Heritage List: The Grand Canal (1443)", URL: "https://whc.unesco.org/en/list/1443/"},
	"suzhougov":     {ID: "suzhougov", Title: "Suzhou Municipal Government, English site", URL: "http://english.suzhou.gov.cn/"},
	"chinaculture":  {ID: "chinaculture", Title: "Ministry of Culture of the PRC, en.chinaculture.org", URL: "http://en.chinaculture.org/"},
	"chinaorg":      {ID: "chinaorg", Title: "China Internet Information Center, china.org.cn", URL: "http://www.china.org.cn/"},
	"wikipedia":     {ID: "wikipedia", Title: "Wikipedia (English)", URL: "https://en.wikipedia.org/"},
	"chinadaily":    {ID: "chinadaily", Title: "China Daily (English; its Jiangsu and Zhouzhuang channels)", URL: "https://www.chinadaily.com.cn/"},
	"shanghaidaily": {ID: "shanghaidaily", Title: "Shanghai Daily", URL: "https://www.shine.cn/"},
	"jschina":       {ID: "jschina", Title: "Xinhua Daily Media Group, Jiangsu news portal (English)", URL: "http://english.jschina.com.cn/"},
	"panmen":        {ID: "panmen", Title: "Panmen Scenic Area, English site", URL: "https://en.panmen.com.cn/"},
	"tongli":        {ID: "tongli", Title: "Tongli Ancient Town Protection and Administration Committee, English site", URL: "http://tongli.net/index_en.php"},
}

// addEnglish adds the established English names of src/english.tsv to the
// curated places (every row checked against the place it names) and
// returns how many it added.
func addEnglish(dir string, sets ...[]gazetteer.Place) (int, error) {
	path := filepath.Join(dir, "src", "english.tsv")
	rows, err := readTSV(path)
	if err != nil {
		return 0, err
	}
	byID := map[int64]*gazetteer.Place{}
	for _, set := range sets {
		for i := range set {
			byID[set[i].ID] = &set[i]
		}
	}
	for _, r := range rows {
		at := fmt.Sprintf("%s:%s", path, r["_line"])
		var id int64
		if _, err := fmt.Sscan(r["id"], &id); err != nil {
			return 0, fmt.Errorf("%s: id %q is not a number", at, r["id"])
		}
		p := byID[id]
		switch {
		case p == nil:
			return 0, fmt.Errorf("%s: id %d is no place of heritage.tsv or culture.tsv", at, id)
		case p.Name != r["name"]:
			return 0, fmt.Errorf("%s: place %d is %s, not %s", at, id, p.Name, r["name"])
		case r["text"] == "" || r["citation"] == "":
			return 0, fmt.Errorf("%s: %s: text and citation are required", at, p.Name)
		case r["kind"] != gazetteer.KindOfficial && r["kind"] != gazetteer.KindConventional:
			return 0, fmt.Errorf("%s: kind %q: want official or conventional", at, r["kind"])
		case hasName(p.Names, r["text"]):
			return 0, fmt.Errorf("%s: %s already has the name %q", at, p.Name, r["text"])
		}
		src, ok := englishSources[r["source"]]
		if !ok {
			return 0, fmt.Errorf("%s: source %q is not in englishSources (data/internal/gen/english.go)", at, r["source"])
		}
		p.Names = append(p.Names, gazetteer.Name{Text: r["text"], Script: gazetteer.ScriptLatin, Kind: r["kind"],
			Citation: r["citation"], Lang: english.Lang})
		if !hasSource(p, src.ID) {
			p.Sources = append(p.Sources, src)
		}
	}
	return len(rows), nil
}

func hasSource(p *gazetteer.Place, id string) bool {
	for _, s := range p.Sources {
		if s.ID == id {
			return true
		}
	}
	return false
}

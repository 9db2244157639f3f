// Package data is Wumen's shipped dataset: Suzhou place names as reviewable
// JSON Lines, one gazetteer.Place record a line, plus the walks (路线) and
// the allowed census categories.
//
//   - admin.jsonl     administrative units and village-level units (NBS 2023), ids 100000+
//   - heritage.jsonl  古城, 古镇, city gates and listed streets, ids 1–999
//   - culture.jsonl   further Wu-culture names (gardens, streets, bridges, water, hills …), ids 1000–99999
//   - walks.jsonl     walks whose stops reference place ids
//   - categories.json the census 大类 and their 子类 the importer accepts
//   - osm_tags.tsv, osm_names.tsv  how OpenStreetMap tags become categories and names
//
// The files are generated from shared/data/suzhou and data/src by
// `go run ./data/internal/gen -shared ../shared/data`; see README.md and
// docs/data-sources.md.
// FS embeds them so a fresh binary can seed its store without any file.
// This package imports only the standard library.
package data

import "embed"

// FS holds the dataset files (*.jsonl, categories.json and the OSM tables) at its root.
//
//go:embed *.jsonl categories.json osm_tags.tsv osm_names.tsv osm_basemap.tsv
var FS embed.FS

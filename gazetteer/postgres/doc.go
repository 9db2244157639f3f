// Package postgres is the PostgreSQL + PostGIS store: the same tables as
// gazetteer/sqlite (the JSON record in places.doc, indexes over it, a
// revision for every write), geometry in PostGIS (EPSG:4326, GiST) for the
// spatial queries, numbered migrations embedded and applied under an
// advisory lock so several serving nodes may start at once, and the change
// feed as revision ids announced with LISTEN/NOTIFY. It passes the
// behaviour suite of gazetteer/storetest, as gazetteer/sqlite does.
package postgres

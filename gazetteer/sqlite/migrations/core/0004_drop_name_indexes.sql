-- 0004: places_name and places_toneless are dropped. No query looks places
-- up by those columns (names are found through place_names, whose indexes
-- hold the standard name too), and keeping them cost every import a sort of
-- each (BENCHMARKS.md, "Import").
DROP INDEX IF EXISTS places_name;
DROP INDEX IF EXISTS places_toneless;

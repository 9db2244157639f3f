-- 0004: indexes no query uses are dropped; keeping them cost every import
-- a sort of each (BENCHMARKS.md, "Import"). places_name and places_toneless:
-- names are found through place_names, whose indexes hold the standard name
-- too. place_admin_code and place_heritage_list: admin and heritage filters
-- look a place's rows up by their primary keys (place_id first).
DROP INDEX IF EXISTS places_name;
DROP INDEX IF EXISTS places_toneless;
DROP INDEX IF EXISTS place_admin_code;
DROP INDEX IF EXISTS place_heritage_list;

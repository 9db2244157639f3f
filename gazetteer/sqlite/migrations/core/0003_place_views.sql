-- 0003: how often each place's public page is looked at, counted in memory
-- and added here in batches (Store.Viewed), so officers can position first
-- the places visitors look for.
CREATE TABLE place_views (
	place_id INTEGER PRIMARY KEY,
	n        INTEGER NOT NULL DEFAULT 0
);

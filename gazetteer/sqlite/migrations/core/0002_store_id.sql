-- 0002: the store's identity. A random id made once, when the store is
-- created (or first opened by this version). Derived views (the search index)
-- record it with the last revision they applied, so that on open they can tell
-- a store they follow from another one (see gazetteer/position.go).
INSERT OR IGNORE INTO meta(key, value) VALUES ('store_id', lower(hex(randomblob(16))));

-- 0001: places, their names, admin parents, heritage listings, the bbox
-- R*Tree, revisions and walks. The JSON document in places.doc is the record;
-- the other columns and tables are indexes over it, rewritten on every write.
CREATE TABLE places (
	id        INTEGER PRIMARY KEY,          -- stable, never reused
	name      TEXT NOT NULL,
	specific  TEXT NOT NULL DEFAULT '',     -- 专名
	generic   TEXT NOT NULL DEFAULT '',     -- 通名
	class     TEXT NOT NULL,                -- 大类
	subclass  TEXT NOT NULL DEFAULT '',     -- 子类
	status    TEXT NOT NULL CHECK (status IN ('current','historical','cancelled')),
	code      TEXT NOT NULL DEFAULT '',     -- statistical code of an admin unit
	level     TEXT NOT NULL DEFAULT '',
	pinyin    TEXT NOT NULL DEFAULT '',
	toneless  TEXT NOT NULL DEFAULT '',
	has_geom  INTEGER NOT NULL DEFAULT 0,
	lon       REAL,                         -- label point, WGS84
	lat       REAL,
	rank      REAL NOT NULL DEFAULT 0,
	updated   TEXT NOT NULL,
	doc       TEXT NOT NULL                 -- the record (written by the store's encoder)
);
CREATE INDEX places_class ON places(class, subclass);
CREATE INDEX places_code ON places(code) WHERE code <> '';
CREATE INDEX places_updated ON places(updated);
CREATE INDEX places_name ON places(name);
CREATE INDEX places_toneless ON places(toneless);

CREATE TABLE place_names (
	place_id INTEGER NOT NULL REFERENCES places(id),
	seq      INTEGER NOT NULL,
	text     TEXT NOT NULL,
	script   TEXT NOT NULL DEFAULT '',
	kind     TEXT NOT NULL,
	start    TEXT NOT NULL DEFAULT '',
	end      TEXT NOT NULL DEFAULT '',
	toneless TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (place_id, seq)
) WITHOUT ROWID;
CREATE INDEX place_names_text ON place_names(text);
CREATE INDEX place_names_toneless ON place_names(toneless);

CREATE TABLE place_admin (
	place_id INTEGER NOT NULL REFERENCES places(id),
	code     TEXT NOT NULL,
	PRIMARY KEY (place_id, code)
) WITHOUT ROWID;
CREATE INDEX place_admin_code ON place_admin(code);

CREATE TABLE place_heritage (
	place_id INTEGER NOT NULL REFERENCES places(id),
	list     TEXT NOT NULL,
	level    TEXT NOT NULL DEFAULT '',
	year     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (place_id, list)
) WITHOUT ROWID;
CREATE INDEX place_heritage_list ON place_heritage(list);

CREATE VIRTUAL TABLE places_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat);

-- Every write appends a revision: who, when, why, and the record before and
-- after (NULL before for a creation). Nothing is hard-deleted.
CREATE TABLE revisions (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	place_id INTEGER NOT NULL REFERENCES places(id),
	at       TEXT NOT NULL,
	actor    TEXT NOT NULL,
	reason   TEXT NOT NULL DEFAULT '',
	before   TEXT,                 -- JSON record, NULL for a creation
	after    TEXT NOT NULL
);
CREATE INDEX revisions_place ON revisions(place_id, id);

CREATE TABLE walks (
	id      TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL,
	doc     TEXT NOT NULL CHECK (json_valid(doc)),
	updated TEXT NOT NULL
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

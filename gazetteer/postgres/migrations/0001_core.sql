-- 0001: places, their names, admin parents, heritage listings, revisions,
-- walks, settings and page views: the tables of gazetteer/sqlite's core
-- migrations, in PostgreSQL. The JSON record in places.doc is the record;
-- the other columns and tables are indexes over it, rewritten on every
-- write. Geometry is PostGIS, WGS84 (EPSG:4326), with a GiST index for the
-- bounding-box queries of reverse lookup and the locator.
CREATE TABLE places (
	id        BIGINT PRIMARY KEY,            -- stable, never reused
	name      TEXT NOT NULL,
	specific  TEXT NOT NULL DEFAULT '',      -- 专名
	generic   TEXT NOT NULL DEFAULT '',      -- 通名
	class     TEXT NOT NULL,                 -- 大类
	subclass  TEXT NOT NULL DEFAULT '',      -- 子类
	status    TEXT NOT NULL CHECK (status IN ('current','historical','cancelled')),
	code      TEXT NOT NULL DEFAULT '',      -- statistical code of an admin unit
	level     TEXT NOT NULL DEFAULT '',
	pinyin    TEXT NOT NULL DEFAULT '',
	toneless  TEXT NOT NULL DEFAULT '',
	has_geom  BOOLEAN NOT NULL DEFAULT false,
	lon       DOUBLE PRECISION,              -- label point, WGS84
	lat       DOUBLE PRECISION,
	geom      geometry(Geometry, 4326),
	rank      DOUBLE PRECISION NOT NULL DEFAULT 0,
	updated   TEXT NOT NULL,
	doc       TEXT NOT NULL                  -- the record, byte for byte as the store's encoder wrote it
);
CREATE INDEX places_class ON places(class, subclass);
CREATE INDEX places_code ON places(code) WHERE code <> '';
CREATE INDEX places_updated ON places(updated);
CREATE INDEX places_name ON places(name);
CREATE INDEX places_toneless ON places(toneless);
CREATE INDEX places_geom ON places USING GIST (geom);
-- The links an import matches records by (a record without an id updates
-- the place with the same OpenStreetMap or GeoNames id).
CREATE INDEX places_osm ON places (((doc::jsonb)->'links'->>'osm')) WHERE doc LIKE '%"osm"%';
CREATE INDEX places_geonames ON places (((doc::jsonb)->'links'->>'geonames')) WHERE doc LIKE '%"geonames"%';

CREATE TABLE place_names (
	place_id BIGINT NOT NULL REFERENCES places(id),
	seq      INTEGER NOT NULL,
	text     TEXT NOT NULL,
	script   TEXT NOT NULL DEFAULT '',
	kind     TEXT NOT NULL,
	start    TEXT NOT NULL DEFAULT '',
	"end"    TEXT NOT NULL DEFAULT '',
	toneless TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (place_id, seq)
);
CREATE INDEX place_names_text ON place_names(text);
CREATE INDEX place_names_toneless ON place_names(toneless);

CREATE TABLE place_admin (
	place_id BIGINT NOT NULL REFERENCES places(id),
	code     TEXT NOT NULL,
	PRIMARY KEY (place_id, code)
);
CREATE INDEX place_admin_code ON place_admin(code);

CREATE TABLE place_heritage (
	place_id BIGINT NOT NULL REFERENCES places(id),
	list     TEXT NOT NULL,
	level    TEXT NOT NULL DEFAULT '',
	year     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (place_id, list)
);
CREATE INDEX place_heritage_list ON place_heritage(list);

-- Every write appends a revision: who, when, why, and the record before and
-- after (NULL before for a creation). Nothing is hard-deleted. Revision ids
-- are the change feed: every serving node follows them (LISTEN wumen_changes,
-- and catches up from the last id it applied).
CREATE TABLE revisions (
	id       BIGSERIAL PRIMARY KEY,
	place_id BIGINT NOT NULL REFERENCES places(id),
	at       TEXT NOT NULL,
	actor    TEXT NOT NULL,
	reason   TEXT NOT NULL DEFAULT '',
	before   TEXT,
	after    TEXT NOT NULL
);
CREATE INDEX revisions_place ON revisions(place_id, id);

CREATE TABLE walks (
	id      TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL,
	doc     TEXT NOT NULL,
	updated TEXT NOT NULL
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('store_id', md5(random()::text || clock_timestamp()::text)) ON CONFLICT DO NOTHING;

CREATE TABLE place_views (
	place_id BIGINT PRIMARY KEY,
	n        BIGINT NOT NULL DEFAULT 0
);

-- A write's commit tells every listening node, once a transaction.
CREATE FUNCTION wumen_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('wumen_changes', '');
	RETURN NULL;
END $$;
CREATE TRIGGER revisions_notify AFTER INSERT ON revisions FOR EACH STATEMENT EXECUTE FUNCTION wumen_notify_changes();
CREATE TRIGGER walks_notify AFTER INSERT OR UPDATE OR DELETE ON walks FOR EACH STATEMENT EXECUTE FUNCTION wumen_notify_changes();

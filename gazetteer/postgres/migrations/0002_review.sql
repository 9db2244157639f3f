-- 0002: naming-review proposals (地名审核), their attachments, comments and
-- append-only history (gazetteer/sqlite's review migration, in PostgreSQL).
CREATE TABLE review_proposals (
	id          BIGSERIAL PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('naming','renaming','cancel','adjust')),
	state       TEXT NOT NULL CHECK (state IN ('draft','submitted','under_review','approved','rejected','filed','announced','applied')),
	doc         TEXT NOT NULL,              -- the Proposal record (JSON)
	report      TEXT,                       -- the latest check report (JSON)
	created_by  TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX review_proposals_state ON review_proposals(state, id);

CREATE TABLE review_attachments (
	id          BIGSERIAL PRIMARY KEY,
	proposal_id BIGINT NOT NULL REFERENCES review_proposals(id),
	kind        TEXT NOT NULL CHECK (kind IN ('assessment','expert','consultation','other')),
	filename    TEXT NOT NULL,
	mime        TEXT NOT NULL,
	size        BIGINT NOT NULL,
	data        BYTEA NOT NULL,
	uploaded_by TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX review_attachments_proposal ON review_attachments(proposal_id);

CREATE TABLE review_comments (
	id          BIGSERIAL PRIMARY KEY,
	proposal_id BIGINT NOT NULL REFERENCES review_proposals(id),
	kind        TEXT NOT NULL CHECK (kind IN ('comment','expert')),
	author      TEXT NOT NULL,
	body        TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX review_comments_proposal ON review_comments(proposal_id);

CREATE TABLE proposal_history (
	id          BIGSERIAL PRIMARY KEY,
	proposal_id BIGINT NOT NULL REFERENCES review_proposals(id),
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	from_state  TEXT NOT NULL DEFAULT '',
	to_state    TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	snapshot    TEXT NOT NULL
);
CREATE INDEX proposal_history_proposal ON proposal_history(proposal_id, id);

-- Append-only tables refuse UPDATE and DELETE (as SQLite's triggers do).
CREATE FUNCTION wumen_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER proposal_history_append_only BEFORE UPDATE OR DELETE ON proposal_history FOR EACH ROW EXECUTE FUNCTION wumen_append_only();
CREATE TRIGGER review_comments_append_only BEFORE UPDATE OR DELETE ON review_comments FOR EACH ROW EXECUTE FUNCTION wumen_append_only();

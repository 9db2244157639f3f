-- 0001: naming-review proposals (地名审核), their attachments, comments and
-- append-only history.
CREATE TABLE review_proposals (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	kind          TEXT NOT NULL CHECK (kind IN ('naming','renaming','cancel','adjust')),
	state         TEXT NOT NULL CHECK (state IN ('draft','submitted','under_review','approved','rejected','filed','announced','applied')),
	doc           TEXT NOT NULL CHECK (json_valid(doc)), -- the Proposal record
	report        TEXT CHECK (report IS NULL OR json_valid(report)), -- the latest check report
	created_by    TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE INDEX review_proposals_state ON review_proposals(state, id);

-- 综合评估, 专家论证 and 征求意见 reports (and other files), as blobs.
CREATE TABLE review_attachments (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	proposal_id INTEGER NOT NULL REFERENCES review_proposals(id),
	kind        TEXT NOT NULL CHECK (kind IN ('assessment','expert','consultation','other')),
	filename    TEXT NOT NULL,
	mime        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	data        BLOB NOT NULL,
	uploaded_by TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX review_attachments_proposal ON review_attachments(proposal_id);

CREATE TABLE review_comments (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	proposal_id INTEGER NOT NULL REFERENCES review_proposals(id),
	kind        TEXT NOT NULL CHECK (kind IN ('comment','expert')),
	author      TEXT NOT NULL,
	body        TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX review_comments_proposal ON review_comments(proposal_id);

-- The whole history of each proposal: append-only, enforced by triggers.
CREATE TABLE proposal_history (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	proposal_id INTEGER NOT NULL REFERENCES review_proposals(id),
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	from_state  TEXT NOT NULL DEFAULT '',
	to_state    TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	snapshot    TEXT NOT NULL CHECK (json_valid(snapshot))
);
CREATE INDEX proposal_history_proposal ON proposal_history(proposal_id, id);
CREATE TRIGGER proposal_history_no_update BEFORE UPDATE ON proposal_history
BEGIN SELECT RAISE(ABORT, 'proposal_history is append-only'); END;
CREATE TRIGGER proposal_history_no_delete BEFORE DELETE ON proposal_history
BEGIN SELECT RAISE(ABORT, 'proposal_history is append-only'); END;
CREATE TRIGGER review_comments_no_update BEFORE UPDATE ON review_comments
BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
CREATE TRIGGER review_comments_no_delete BEFORE DELETE ON review_comments
BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;

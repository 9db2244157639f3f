-- 0001: officer accounts, server-side sessions, API tokens and the audit log.
CREATE TABLE account_users (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL UNIQUE,
	role       TEXT NOT NULL CHECK (role IN ('admin','reviewer','editor')),
	password   TEXT NOT NULL,           -- argon2id, PHC string format
	disabled   INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);

-- Sessions are looked up by the SHA-256 of the cookie value; the cookie itself
-- is never stored. csrf is the synchronizer token of the session's forms.
CREATE TABLE account_sessions (
	id         TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES account_users(id),
	csrf       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX account_sessions_user ON account_sessions(user_id);

-- API tokens for scripts, stored as SHA-256 hashes.
CREATE TABLE account_tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES account_users(id),
	label      TEXT NOT NULL DEFAULT '',
	hash       TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	revoked    INTEGER NOT NULL DEFAULT 0
);

-- Every write: who, when, what, why. Append-only.
CREATE TABLE account_audit (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL DEFAULT '',
	why    TEXT NOT NULL DEFAULT '',
	ip     TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER account_audit_no_update BEFORE UPDATE ON account_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER account_audit_no_delete BEFORE DELETE ON account_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

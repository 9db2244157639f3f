-- 0003: officer accounts, server-side sessions, API tokens, failed-login
-- counts and the append-only audit log (gazetteer/sqlite's account
-- migrations, in PostgreSQL).
CREATE TABLE account_users (
	id         BIGSERIAL PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	role       TEXT NOT NULL CHECK (role IN ('admin','reviewer','editor')),
	password   TEXT NOT NULL,            -- argon2id, PHC string format
	disabled   BOOLEAN NOT NULL DEFAULT false,
	created_at TEXT NOT NULL
);

CREATE TABLE account_sessions (
	id         TEXT PRIMARY KEY,         -- SHA-256 of the cookie value
	user_id    BIGINT NOT NULL REFERENCES account_users(id),
	csrf       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX account_sessions_user ON account_sessions(user_id);

CREATE TABLE account_tokens (
	id           BIGSERIAL PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES account_users(id),
	label        TEXT NOT NULL DEFAULT '',
	hash         TEXT NOT NULL UNIQUE,
	created_at   TEXT NOT NULL,
	revoked      BOOLEAN NOT NULL DEFAULT false,
	expires_at   TEXT NOT NULL DEFAULT '',
	last_used_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE account_audit (
	id     BIGSERIAL PRIMARY KEY,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL DEFAULT '',
	why    TEXT NOT NULL DEFAULT '',
	ip     TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER account_audit_append_only BEFORE UPDATE OR DELETE ON account_audit FOR EACH ROW EXECUTE FUNCTION wumen_append_only();

CREATE TABLE account_login_failures (
	account      TEXT NOT NULL,
	window_start TEXT NOT NULL,
	failures     INTEGER NOT NULL,
	last_ip      TEXT NOT NULL DEFAULT '',
	last_at      TEXT NOT NULL,
	PRIMARY KEY (account, window_start)
);

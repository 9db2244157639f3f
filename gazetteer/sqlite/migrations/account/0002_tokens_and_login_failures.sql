-- 0002: API tokens expire and record when they were last used (OWASP ASVS
-- 4.0 V3.5: tokens revocable, with a lifetime). Tokens made before this
-- migration expire 90 days after they were made.
ALTER TABLE account_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
ALTER TABLE account_tokens ADD COLUMN last_used_at TEXT NOT NULL DEFAULT '';
UPDATE account_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+90 days');

-- Failed logins are counted per account and hour, not logged one row each
-- (names that are no account share one bucket), so refused logins cannot
-- flood the store.
CREATE TABLE account_login_failures (
	account      TEXT NOT NULL,
	window_start TEXT NOT NULL,
	failures     INTEGER NOT NULL,
	last_ip      TEXT NOT NULL DEFAULT '',
	last_at      TEXT NOT NULL,
	PRIMARY KEY (account, window_start)
);

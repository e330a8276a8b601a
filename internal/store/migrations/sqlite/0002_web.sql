-- The web application: sessions, sign-in throttling, each person's time
-- zone, saved filters and the new-ticket assistant. Times are Unix
-- milliseconds (UTC).

-- An IANA time zone name; empty means the default (Europe/Vienna).
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

-- A signed-in browser. Only the SHA-256 of the cookie's token is stored;
-- expires_at slides forward while the session is used.
CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT    NOT NULL UNIQUE,
	user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT  NOT NULL,
	seen_at    BIGINT  NOT NULL,
	expires_at BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins, by bucket ("email:…" or "ip:…"), for rate limiting across
-- instances. Rows older than the window are deleted as new ones come.
CREATE TABLE login_failures (
	id  INTEGER PRIMARY KEY,
	bucket TEXT   NOT NULL,
	at  BIGINT  NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (bucket, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- A saved search ("filter favourite"): personal, or shared with a queue's
-- members when queue_id is set. query is the search page's URL query.
CREATE TABLE saved_filters (
	id         INTEGER PRIMARY KEY,
	owner_id   BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	queue_id   BIGINT  REFERENCES queues (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	query      TEXT    NOT NULL,
	created_at BIGINT  NOT NULL
);
CREATE INDEX saved_filters_owner ON saved_filters (owner_id);
CREATE INDEX saved_filters_queue ON saved_filters (queue_id);

-- The new-ticket assistant: a tree of menus edited by admins. A leaf (a node
-- with a queue) names the target queue, a subject template, extra fields
-- (JSON: [{"name", "label_de", "label_en", "required"}]) and help text.
CREATE TABLE assistant_nodes (
	id               INTEGER PRIMARY KEY,
	parent_id        BIGINT  REFERENCES assistant_nodes (id) ON DELETE CASCADE,
	position         INTEGER NOT NULL DEFAULT 0,
	title_de         TEXT    NOT NULL,
	title_en         TEXT    NOT NULL,
	help_de          TEXT    NOT NULL DEFAULT '',
	help_en          TEXT    NOT NULL DEFAULT '',
	queue_id         BIGINT  REFERENCES queues (id) ON DELETE SET NULL,
	subject_template TEXT    NOT NULL DEFAULT '',
	fields           TEXT    NOT NULL DEFAULT '[]',
	created_at       BIGINT  NOT NULL
);
CREATE INDEX assistant_nodes_parent ON assistant_nodes (parent_id, position);

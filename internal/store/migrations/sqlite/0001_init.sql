-- servus schema, SQLite. Times are Unix milliseconds (UTC).
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL,
	role          TEXT    NOT NULL CHECK (role IN ('requester', 'agent', 'admin')),
	language      TEXT    NOT NULL DEFAULT 'de',
	password_hash TEXT    NOT NULL DEFAULT '',
	created_at    BIGINT  NOT NULL
);

CREATE TABLE tokens (
	id           INTEGER PRIMARY KEY,
	user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash         TEXT    NOT NULL UNIQUE,
	created_at   BIGINT  NOT NULL,
	last_used_at BIGINT
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE queues (
	id           INTEGER PRIMARY KEY,
	name         TEXT    NOT NULL UNIQUE,
	address      TEXT    UNIQUE,
	is_default   BOOLEAN NOT NULL DEFAULT FALSE,
	confidential BOOLEAN NOT NULL DEFAULT FALSE,
	created_at   BIGINT  NOT NULL
);
CREATE UNIQUE INDEX queues_one_default ON queues (is_default) WHERE is_default;

CREATE TABLE queue_members (
	queue_id BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
	user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (queue_id, user_id)
);
CREATE INDEX queue_members_user ON queue_members (user_id);

CREATE TABLE counters (
	name  TEXT   PRIMARY KEY,
	value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('ticket', 0);

CREATE TABLE tickets (
	id            INTEGER PRIMARY KEY,
	number        BIGINT  NOT NULL UNIQUE,
	subject       TEXT    NOT NULL,
	queue_id      BIGINT  NOT NULL REFERENCES queues (id),
	requester_id  BIGINT  NOT NULL REFERENCES users (id),
	assignee_id   BIGINT  REFERENCES users (id),
	priority      TEXT    NOT NULL,
	priority_rank INTEGER NOT NULL,
	due_at        BIGINT,
	confidential  BOOLEAN NOT NULL,
	state         TEXT    NOT NULL,
	close_reason  TEXT    NOT NULL DEFAULT '',
	channel       TEXT    NOT NULL,
	version       BIGINT  NOT NULL,
	created_at    BIGINT  NOT NULL,
	updated_at    BIGINT  NOT NULL,
	resolved_at   BIGINT,
	closed_at     BIGINT
);
CREATE INDEX tickets_queue_state ON tickets (queue_id, state);
CREATE INDEX tickets_requester ON tickets (requester_id);
CREATE INDEX tickets_assignee ON tickets (assignee_id);
CREATE INDEX tickets_state_resolved ON tickets (state, resolved_at);
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_updated ON tickets (updated_at);
CREATE INDEX tickets_priority ON tickets (priority_rank);
CREATE INDEX tickets_due ON tickets (due_at);
CREATE INDEX tickets_confidential ON tickets (confidential, queue_id);

CREATE TABLE ticket_cc (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_cc_user ON ticket_cc (user_id);

CREATE TABLE watchers (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX watchers_user ON watchers (user_id);

CREATE TABLE links (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	other_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	kind      TEXT   NOT NULL,
	PRIMARY KEY (ticket_id, other_id, kind)
);
CREATE INDEX links_other ON links (other_id);

CREATE TABLE entries (
	id         INTEGER PRIMARY KEY,
	ticket_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	kind       TEXT   NOT NULL,
	author_id  BIGINT REFERENCES users (id),
	channel    TEXT   NOT NULL,
	visibility TEXT   NOT NULL CHECK (visibility IN ('public', 'staff', 'queue')),
	body       TEXT   NOT NULL DEFAULT '',
	field      TEXT   NOT NULL DEFAULT '',
	old_value  TEXT   NOT NULL DEFAULT '',
	new_value  TEXT   NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX entries_ticket ON entries (ticket_id, id);

CREATE TABLE attachments (
	id           INTEGER PRIMARY KEY,
	ticket_id    BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	entry_id     BIGINT REFERENCES entries (id),
	name         TEXT   NOT NULL,
	content_type TEXT   NOT NULL,
	size         BIGINT NOT NULL,
	hash         TEXT   NOT NULL,
	uploader_id  BIGINT REFERENCES users (id),
	visibility   TEXT   NOT NULL CHECK (visibility IN ('public', 'staff', 'queue')),
	created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id);
CREATE INDEX attachments_hash ON attachments (hash);

-- One row per searchable text (subject, entry, attachment name); its
-- analysed terms live in search_fts under the same rowid.
CREATE TABLE search_docs (
	id         INTEGER PRIMARY KEY,
	ticket_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	source     TEXT   NOT NULL, -- subject, entry, attachment
	source_id  BIGINT NOT NULL DEFAULT 0,
	visibility TEXT   NOT NULL
);
CREATE INDEX search_docs_ticket ON search_docs (ticket_id, source, source_id);
CREATE VIRTUAL TABLE search_fts USING fts5 (terms, tokenize = 'ascii');

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        BIGINT NOT NULL,
	actor_id  BIGINT,
	action    TEXT   NOT NULL,
	ticket_id BIGINT,
	detail    TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_ticket ON audit_log (ticket_id);

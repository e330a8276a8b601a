-- Mail: the outbox of notifications, the inbound messages as received, and
-- every Message-ID servus sent or received (for threading).

-- One notification: recipient and cause are fixed in the transaction of the
-- change; the mail itself is rendered when it is sent, after asking the
-- visibility policy again (someone who lost access gets nothing).
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	created_at      BIGINT NOT NULL,
	ticket_id       BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	entry_id        BIGINT REFERENCES entries (id) ON DELETE CASCADE,
	event           TEXT   NOT NULL,
	recipient_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	message_id      TEXT   NOT NULL UNIQUE,
	state           TEXT   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	locked_until    BIGINT NOT NULL DEFAULT 0,
	last_error      TEXT   NOT NULL DEFAULT '',
	sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id);
CREATE INDEX outbox_recipient ON outbox (recipient_id, created_at);

-- Every message that came in, stored before it is processed. The raw bytes
-- live in the blob store under raw_hash.
CREATE TABLE inbound (
	id          INTEGER PRIMARY KEY,
	received_at BIGINT NOT NULL,
	channel     TEXT   NOT NULL,
	recipient   TEXT   NOT NULL DEFAULT '',
	message_id  TEXT   NOT NULL DEFAULT '',
	raw_hash    TEXT   NOT NULL,
	size        BIGINT NOT NULL,
	sender      TEXT   NOT NULL DEFAULT '',
	subject     TEXT   NOT NULL DEFAULT '',
	state       TEXT   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
	outcome     TEXT   NOT NULL DEFAULT '',
	error       TEXT   NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	ticket_id   BIGINT REFERENCES tickets (id) ON DELETE SET NULL,
	entry_id    BIGINT REFERENCES entries (id) ON DELETE SET NULL,
	processed_at BIGINT
);
CREATE INDEX inbound_state ON inbound (state, received_at);
CREATE INDEX inbound_hash ON inbound (raw_hash);
CREATE INDEX inbound_message_id ON inbound (message_id);

-- Message-IDs servus sent or received, and the ticket each belongs to.
CREATE TABLE mail_ids (
	message_id TEXT   PRIMARY KEY,
	ticket_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	entry_id   BIGINT REFERENCES entries (id) ON DELETE SET NULL,
	outgoing   BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX mail_ids_ticket ON mail_ids (ticket_id);

-- Addresses that bounced: no more automatic mail goes there.
CREATE TABLE undeliverable (
	email      TEXT   PRIMARY KEY,
	since      BIGINT NOT NULL,
	reason     TEXT   NOT NULL DEFAULT ''
);

-- The original mail behind an entry, for the .eml download.
ALTER TABLE entries ADD COLUMN inbound_id BIGINT REFERENCES inbound (id) ON DELETE SET NULL;

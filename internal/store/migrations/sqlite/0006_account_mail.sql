-- Account mail: mail about a person's account rather than a ticket, for now
-- the password reset link. Times are Unix milliseconds (UTC).

-- A password reset: a one-time link, valid until expires_at. Only the
-- SHA-256 of its token is kept here. lang is the language the person asked
-- in (empty: the account's). used_at is set when it set a password;
-- revoked_at when another link of the same person was used first.
CREATE TABLE password_resets (
	id         INTEGER PRIMARY KEY,
	user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash TEXT    NOT NULL UNIQUE,
	lang       TEXT    NOT NULL DEFAULT '',
	created_at BIGINT  NOT NULL,
	expires_at BIGINT  NOT NULL,
	used_at    BIGINT,
	revoked_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- The outbox now carries mail that is about no ticket: ticket_id becomes
-- optional and reset_id names the password reset a mail is for. secret is
-- the reset link's token, needed once to write the mail at send time: it is
-- set while the mail is pending and wiped (NULL) when it is sent, dropped
-- or failed. SQLite cannot drop a NOT NULL, so the table is rebuilt (no
-- table refers to outbox, so nothing else changes).
CREATE TABLE outbox_new (
	id              INTEGER PRIMARY KEY,
	created_at      BIGINT NOT NULL,
	ticket_id       BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
	entry_id        BIGINT REFERENCES entries (id) ON DELETE CASCADE,
	event           TEXT   NOT NULL,
	recipient_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	message_id      TEXT   NOT NULL UNIQUE,
	state           TEXT   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	locked_until    BIGINT NOT NULL DEFAULT 0,
	last_error      TEXT   NOT NULL DEFAULT '',
	sent_at         BIGINT,
	reset_id        BIGINT REFERENCES password_resets (id) ON DELETE CASCADE,
	secret          TEXT,
	CHECK (ticket_id IS NOT NULL OR reset_id IS NOT NULL)
);
INSERT INTO outbox_new (id, created_at, ticket_id, entry_id, event, recipient_id, message_id, state, attempts,
		next_attempt_at, locked_until, last_error, sent_at)
	SELECT id, created_at, ticket_id, entry_id, event, recipient_id, message_id, state, attempts,
		next_attempt_at, locked_until, last_error, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id);
CREATE INDEX outbox_recipient ON outbox (recipient_id, created_at);
CREATE INDEX outbox_reset ON outbox (reset_id);

-- Escalation digests (issue 12): a queue may ask to be mailed about its
-- tickets whose response targets are due soon or breached. Times are Unix
-- milliseconds (UTC).
ALTER TABLE queues ADD COLUMN escalate BOOLEAN NOT NULL DEFAULT FALSE;

-- One digest: the tickets of one queue that one run of the escalation job
-- found newly due soon or breached. Its mails are outbox rows with
-- digest_id; what it lists are the ticket_escalations rows with its id.
CREATE TABLE escalation_digests (
	id         INTEGER PRIMARY KEY,
	queue_id   BIGINT  NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
	created_at BIGINT  NOT NULL
);
CREATE INDEX escalation_digests_queue ON escalation_digests (queue_id);

-- Each state (due_soon, breached) of each target (first_response,
-- resolution) of each ticket is mailed once per queue and due instant: the
-- primary key lets only one transaction record it, whichever instance runs
-- the job. A ticket moved to another queue is mailed to that queue's
-- members again; a new due instant (its clock stood still while it waited,
-- or the new queue's targets differ) may escalate it again.
CREATE TABLE ticket_escalations (
	ticket_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	queue_id   BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
	kind       TEXT   NOT NULL CHECK (kind IN ('first_response', 'resolution')),
	state      TEXT   NOT NULL CHECK (state IN ('due_soon', 'breached')),
	due_at     BIGINT NOT NULL,
	digest_id  BIGINT REFERENCES escalation_digests (id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (ticket_id, queue_id, kind, state, due_at)
);
CREATE INDEX ticket_escalations_digest ON ticket_escalations (digest_id);

-- The outbox carries digests too: a row is about a ticket, a password
-- reset or a digest. SQLite cannot change a CHECK constraint, so the table
-- is rebuilt (no table refers to outbox).
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
	digest_id       BIGINT REFERENCES escalation_digests (id) ON DELETE CASCADE,
	CHECK (ticket_id IS NOT NULL OR reset_id IS NOT NULL OR digest_id IS NOT NULL)
);
INSERT INTO outbox_new (id, created_at, ticket_id, entry_id, event, recipient_id, message_id, state, attempts,
		next_attempt_at, locked_until, last_error, sent_at, reset_id, secret)
	SELECT id, created_at, ticket_id, entry_id, event, recipient_id, message_id, state, attempts,
		next_attempt_at, locked_until, last_error, sent_at, reset_id, secret FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id);
CREATE INDEX outbox_recipient ON outbox (recipient_id, created_at);
CREATE INDEX outbox_reset ON outbox (reset_id);
CREATE INDEX outbox_entry ON outbox (entry_id);
CREATE INDEX outbox_digest ON outbox (digest_id);

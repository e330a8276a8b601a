-- Retention (issue 11): closed tickets are anonymised or deleted after a
-- number of months, per queue, with a desk-wide default kept in settings
-- (keys retention_mode and retention_months).

-- A queue's own retention, overriding the default: mode 'off' keeps its
-- closed tickets, 'anonymise' or 'delete' acts on them months after they
-- were closed. A queue without a row follows the default.
CREATE TABLE queue_retention (
	queue_id   BIGINT  PRIMARY KEY REFERENCES queues (id) ON DELETE CASCADE,
	mode       TEXT    NOT NULL CHECK (mode IN ('off', 'anonymise', 'delete')),
	months     INTEGER NOT NULL DEFAULT 0,
	updated_at BIGINT  NOT NULL
);

-- When a ticket's personal data and free text were replaced (retention or
-- the erasure of its requester); NULL for a ticket as it was written.
-- Retention skips anonymised tickets unless their queue deletes.
ALTER TABLE tickets ADD COLUMN anonymised_at BIGINT;
CREATE INDEX tickets_retention ON tickets (queue_id, state, closed_at);

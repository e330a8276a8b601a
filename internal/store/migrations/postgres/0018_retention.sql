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

-- Deleting tickets (retention's delete mode) removes their entries; each
-- removed entry and ticket is looked up in the tables that refer to it.
-- These indexes make those lookups cheap.
CREATE INDEX inbound_ticket ON inbound (ticket_id);
CREATE INDEX inbound_entry ON inbound (entry_id);
CREATE INDEX entries_inbound ON entries (inbound_id);
CREATE INDEX attachments_entry ON attachments (entry_id);
CREATE INDEX outbox_entry ON outbox (entry_id);
CREATE INDEX mail_ids_entry ON mail_ids (entry_id);

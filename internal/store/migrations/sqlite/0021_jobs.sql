-- Background jobs: one row per periodic job (auto-close, reminders, ...).
-- An instance runs a job only after claiming it with a lease (one UPDATE
-- that succeeds for exactly one instance); its next run is stored, so the
-- schedule survives restarts, and a crashed instance's lease runs out.
CREATE TABLE jobs (
	name             TEXT    PRIMARY KEY,
	interval_ms      BIGINT  NOT NULL,
	next_run_at      BIGINT  NOT NULL,
	lease_owner      TEXT    NOT NULL DEFAULT '',
	lease_until      BIGINT  NOT NULL DEFAULT 0,
	last_run_at      BIGINT,
	last_duration_ms BIGINT  NOT NULL DEFAULT 0,
	last_error       TEXT    NOT NULL DEFAULT '',
	runs             BIGINT  NOT NULL DEFAULT 0,
	failures         BIGINT  NOT NULL DEFAULT 0
);

-- Reminders for tickets waiting on the requester, per queue: after
-- remind_after_ms in waiting the requester gets one reminder; after a
-- further remind_then_after_ms without an answer the ticket is closed
-- (remind_then 'close') or goes back to the queue ('reopen'); '' does
-- nothing more. 0 turns reminders off.
ALTER TABLE queues ADD COLUMN remind_after_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE queues ADD COLUMN remind_then TEXT NOT NULL DEFAULT '';
ALTER TABLE queues ADD COLUMN remind_then_after_ms BIGINT NOT NULL DEFAULT 0;

-- One row per waiting period that got its reminder: the period is the
-- state entry that made the ticket wait, so a ticket that waits again gets
-- a reminder again, and the primary key makes a second reminder for the
-- same period impossible, whichever instance tries.
CREATE TABLE ticket_reminders (
	ticket_id        BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	waiting_entry_id BIGINT NOT NULL,
	sent_at          BIGINT NOT NULL,
	PRIMARY KEY (ticket_id, waiting_entry_id)
);

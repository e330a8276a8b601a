-- Response targets in business time (issue 12). A queue sets a first
-- response and a resolution target in business minutes (NULL: none) and
-- the calendar they count in: opening hours as "Mon-Fri 08:00-17:00", an
-- IANA time zone, 'AT' for Austria's public holidays (or ''), 24 and 31
-- December closed too, and further closed dates ("2026-12-07 2027-05-07").
ALTER TABLE queues ADD COLUMN first_response_minutes INTEGER;
ALTER TABLE queues ADD COLUMN resolution_minutes INTEGER;
ALTER TABLE queues ADD COLUMN hours TEXT NOT NULL DEFAULT 'Mon-Fri 08:00-17:00';
ALTER TABLE queues ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Vienna';
ALTER TABLE queues ADD COLUMN holidays TEXT NOT NULL DEFAULT 'AT';
ALTER TABLE queues ADD COLUMN closed_dec_24_31 BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE queues ADD COLUMN closed_days TEXT NOT NULL DEFAULT '';

-- A ticket keeps the targets it got from its queue (when opened or moved
-- in), their due instants (shifted by the time it waited for its
-- requester), when staff first answered the requester publicly, and for
-- lists the instant its next running target falls due or the one it
-- missed (target_at) and when that becomes "due soon" (target_soon_at):
-- searches compare these, never computing business time per row.
ALTER TABLE tickets ADD COLUMN first_response_target INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_target INTEGER;
ALTER TABLE tickets ADD COLUMN first_response_due BIGINT;
ALTER TABLE tickets ADD COLUMN resolution_due BIGINT;
ALTER TABLE tickets ADD COLUMN first_response_at BIGINT;
ALTER TABLE tickets ADD COLUMN target_at BIGINT;
ALTER TABLE tickets ADD COLUMN target_soon_at BIGINT;
CREATE INDEX tickets_target ON tickets (target_at);
CREATE INDEX tickets_target_soon ON tickets (target_soon_at);

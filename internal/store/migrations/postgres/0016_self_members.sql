-- When an admin made themself a member of a queue (issue 11: possible,
-- audited, and shown on the queue's page); NULL for a member someone else
-- added.
ALTER TABLE queue_members ADD COLUMN self_joined_at BIGINT;

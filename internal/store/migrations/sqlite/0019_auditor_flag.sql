-- The auditor role held besides being staff (issue 11: a person may audit
-- and be an agent or admin): such a person keeps their role and queues and
-- reads the audit log too. The role auditor alone still sees no ticket.
ALTER TABLE users ADD COLUMN auditor BOOLEAN NOT NULL DEFAULT FALSE;

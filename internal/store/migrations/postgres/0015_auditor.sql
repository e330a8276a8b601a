-- The auditor role (the works council's and the data protection officer's:
-- reads the audit log, sees no ticket).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('requester', 'agent', 'admin', 'auditor'));

-- The audit log read by actor, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

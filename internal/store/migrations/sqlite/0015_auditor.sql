-- The auditor role (the works council's and the data protection officer's:
-- reads the audit log, sees no ticket). SQLite cannot alter a CHECK
-- constraint; its text in the schema is widened in place, as SQLite's
-- ALTER TABLE documentation describes for constraints that do not change
-- the stored format. The index after it changes the schema cookie, so that
-- every connection reads the new text.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (role IN (''requester'', ''agent'', ''admin''))', 'CHECK (role IN (''requester'', ''agent'', ''admin'', ''auditor''))')
 WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
PRAGMA writable_schema = OFF;

-- The audit log read by actor, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

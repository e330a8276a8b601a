-- Secrets servus makes for itself, once, and shares between all instances on
-- this database: "mail" keys the HMACs in the addresses of outgoing mail
-- (the per-message bounce address and the per-recipient reply address).
-- Never shown anywhere; created_at is Unix milliseconds (UTC).
CREATE TABLE secrets (
	name       TEXT   PRIMARY KEY,
	value      TEXT   NOT NULL,
	created_at BIGINT NOT NULL
);

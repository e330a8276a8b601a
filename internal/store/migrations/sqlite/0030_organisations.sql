-- Organisations (institutes, issue 13): requesters belong to at most one,
-- by an admin's choice, else by the directory's institute value at each
-- outside sign-in, else by the mail domain when the account is made. An
-- institute's IT delegates see the non-confidential tickets of its members
-- as a requester does (access.TicketScope).
CREATE TABLE organisations (
	id              INTEGER PRIMARY KEY,
	name            TEXT   NOT NULL,
	name_key        TEXT   NOT NULL UNIQUE, -- lower(name): names are unique regardless of case
	directory_value TEXT   UNIQUE,          -- lower-case; the directory's or claims' value for Institute
	created_at      BIGINT NOT NULL
);

-- A mail domain assigns the accounts made with an address in it (or in a
-- subdomain of it) to its organisation; a domain belongs to one.
CREATE TABLE organisation_domains (
	domain          TEXT   NOT NULL PRIMARY KEY, -- lower-case, no "@"
	organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE
);
CREATE INDEX organisation_domains_org ON organisation_domains (organisation_id);

-- A person's one organisation. source says how they came to it ('admin',
-- 'directory', 'domain'): an admin's choice is kept against the directory.
-- delegate makes them its IT delegate; delegate_mail is the delegate's own
-- choice to be mailed about its members' tickets.
CREATE TABLE organisation_members (
	user_id         BIGINT  NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	organisation_id BIGINT  NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	source          TEXT    NOT NULL CHECK (source IN ('admin', 'directory', 'domain')),
	delegate        BOOLEAN NOT NULL DEFAULT FALSE,
	delegate_mail   BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX organisation_members_org ON organisation_members (organisation_id, user_id);

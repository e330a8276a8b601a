-- User kinds: a person (who signs in on the web, resets a password, gets
-- mail) or a service account (a program using the API: no password, no web
-- session, no reset mail, belongs to no person). Admins may create API
-- tokens only for service accounts; a person creates their own.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';

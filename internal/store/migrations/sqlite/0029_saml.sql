-- SAML sign-ins. saml_requests holds each authentication request servus
-- sent to the identity provider until its answer arrives (with where the
-- person wanted to go): an answer is accepted only for a request listed
-- here, and the row is deleted when it is, so no request is answered
-- twice, whichever instance the answer reaches. saml_assertions holds the
-- ID of each assertion accepted, until it expires, so that no assertion
-- signs anyone in twice. Both are swept after expires_at.
CREATE TABLE saml_requests (
	id         TEXT   PRIMARY KEY,
	next       TEXT   NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE TABLE saml_assertions (
	id         TEXT   PRIMARY KEY,
	expires_at BIGINT NOT NULL
);

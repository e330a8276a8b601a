-- OpenID Connect sign-ins under way: servus sent the browser to the
-- provider and waits for it to come back to /login/oidc/callback with the
-- state. The row keeps what the callback needs (the nonce the ID token must
-- carry, the PKCE verifier, where to go afterwards), so any instance on
-- this database can finish a sign-in another began. A row is taken (read
-- and deleted) once, so a state cannot be used twice; rows live ten
-- minutes and are swept at each new sign-in.
CREATE TABLE oidc_signins (
	state      TEXT   PRIMARY KEY,
	nonce      TEXT   NOT NULL,
	verifier   TEXT   NOT NULL,
	next       TEXT   NOT NULL DEFAULT '/',
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_signins_expires ON oidc_signins (expires_at);

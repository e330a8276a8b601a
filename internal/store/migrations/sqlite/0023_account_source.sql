-- Where an account signs in: 'local' (servus's own password, or none for
-- an account made by mail), or an outside identity source: 'ldap' (the
-- directory, by binding as the person), 'oidc' (an OpenID provider) or
-- 'saml' (a SAML identity provider). external_id is the account's stable
-- identifier at that source (LDAP: entryUUID or the configured attribute;
-- OpenID: the issuer's subject; SAML: the persistent name ID or
-- eduPersonPrincipalName); NULL for local accounts. An outside account has
-- no local password.
ALTER TABLE users ADD COLUMN auth_source TEXT NOT NULL DEFAULT 'local'
	CHECK (auth_source IN ('local', 'ldap', 'oidc', 'saml'));
ALTER TABLE users ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX users_external ON users (auth_source, external_id) WHERE external_id IS NOT NULL;

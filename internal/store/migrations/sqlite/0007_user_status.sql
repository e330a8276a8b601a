-- Account status: an admin may disable an account (someone who left, a
-- compromised login) and enable it again. A disabled person cannot sign in,
-- their API tokens and sessions stop working, and they cannot be assigned
-- tickets; what they did stays. NULL means enabled. Unix milliseconds (UTC).
ALTER TABLE users ADD COLUMN disabled_at BIGINT;

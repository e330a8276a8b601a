-- Desk-wide settings that admins change in the web application (desk name,
-- footer line, announcement banner, default language and time zone), shared
-- by every servus instance on this database: one row per key an admin has
-- saved; a key without a row has its built-in default. updated_at is Unix
-- milliseconds (UTC); updated_by is the admin who saved the value last.
CREATE TABLE settings (
	key        TEXT    PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at BIGINT  NOT NULL,
	updated_by BIGINT  REFERENCES users (id) ON DELETE SET NULL
);

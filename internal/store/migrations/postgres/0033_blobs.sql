-- Files (attachments, raw mails) kept in the database, so that every servus
-- instance on it serves every file: a blob is named by its SHA-256 and kept
-- in chunks of chunk_size bytes (all but the last full). PostgreSQL uses
-- these; SQLite keeps its files in the data folder and the tables stay
-- empty there. The store creates them as well when it keeps files in a
-- database not yet migrated this far (a restore of an older backup), hence
-- IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS blobs (
	hash TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	chunk_size INTEGER NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS blob_chunks (
	blob TEXT NOT NULL,
	seq BIGINT NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (blob, seq)
);
-- Attachments are mostly compressed already (images, PDFs, archives):
-- store the chunks out of line without trying to compress them again.
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

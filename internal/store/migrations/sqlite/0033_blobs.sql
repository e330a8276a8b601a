-- Files kept in the database (see PostgreSQL's 0033). SQLite keeps its files
-- in the data folder: these tables stay empty there and exist so that both
-- schemas agree.
CREATE TABLE IF NOT EXISTS blobs (
	hash TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	chunk_size INTEGER NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS blob_chunks (
	blob TEXT NOT NULL,
	seq BIGINT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (blob, seq)
);

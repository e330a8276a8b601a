-- Working tickets: requesters and staff edit a ticket's description (every
-- earlier text is kept), entries carry the minutes spent on them, and each
-- queue says whether time spent is off, optional or required.

-- One row per edit of a description entry: the text it replaced, who
-- edited it and when. The entry holds the current text; the first row's
-- body is the text the entry was written with.
CREATE TABLE description_versions (
	id         INTEGER PRIMARY KEY,
	entry_id   BIGINT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	body       TEXT   NOT NULL,
	edited_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
	edited_at  BIGINT NOT NULL
);
CREATE INDEX description_versions_entry ON description_versions (entry_id, id);

-- Minutes spent on the work an entry records (1..1439); NULL for none.
ALTER TABLE entries ADD COLUMN time_spent INTEGER CHECK (time_spent IS NULL OR (time_spent > 0 AND time_spent < 1440));

-- Whether entries of the queue's tickets take time spent.
ALTER TABLE queues ADD COLUMN time_spent TEXT NOT NULL DEFAULT 'off' CHECK (time_spent IN ('off', 'optional', 'required'));

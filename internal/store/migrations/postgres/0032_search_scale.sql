-- Search at a million tickets (issue 15). A list sorted by update or
-- creation breaks ties by number; with the number in the index, a page by
-- cursor starts at its key in the index and reads one page, and a sorted
-- page stops after its rows. Queue and state filters read their tickets in
-- update order from the third index instead of sorting all of them.
CREATE INDEX tickets_updated_number ON tickets (updated_at, number);
DROP INDEX tickets_updated;
CREATE INDEX tickets_created_number ON tickets (created_at, number);
DROP INDEX tickets_created;
CREATE INDEX tickets_queue_state_updated ON tickets (queue_id, state, updated_at, number);
DROP INDEX tickets_queue_state;

-- New search terms wait in the GIN index's pending list until a vacuum
-- merges them, and every search reads through that list: keep it short
-- (512 kB instead of the server's 4 MB), so a search never reads much of
-- it, while inserts still gain from batching.
ALTER INDEX search_docs_terms SET (gin_pending_list_limit = 512);

-- Vacuum (which merges that list) and analyze (which keeps the text
-- statistics the search plan is chosen by) after 1 % new rows rather than
-- the default 20 % / 10 %: at a million tickets the defaults wait for
-- hundreds of thousands of new documents.
ALTER TABLE search_docs SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE tickets SET (autovacuum_analyze_scale_factor = 0.02);

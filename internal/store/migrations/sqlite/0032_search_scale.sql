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

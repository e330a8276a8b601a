-- An agent's dashboard asks for their tickets in a few states (assigned to
-- me and new or open, waiting, overdue). Through tickets_assignee
-- (assignee_id) each of its six queries read every ticket the agent ever
-- had, closed ones included: 2,656 rows for an agent at 100,000 tickets,
-- for 21 active ones. tickets_assignee_state reads the states asked for.
CREATE INDEX tickets_assignee_state ON tickets (assignee_id, state, updated_at);
DROP INDEX tickets_assignee;
-- A queue's list, newest first, and its count: read in order off this
-- index, which also holds what the visibility rule asks of a ticket before
-- its CC list (confidential, requester), so that counting a queue's
-- tickets (up to the cap of 10,000) reads no ticket rows.
CREATE INDEX tickets_queue_updated ON tickets (queue_id, updated_at, number, confidential, requester_id);

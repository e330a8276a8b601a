-- Ticket numbers come from a sequence on PostgreSQL. The counters row made
-- every create wait for the commit of the one before it (the UPDATE holds the
-- row's lock to the end of the transaction), so 16 clients created no faster
-- than one; nextval takes no lock that outlives the call. A number taken by a
-- transaction that then rolls back is skipped, never reused.
CREATE SEQUENCE ticket_numbers;
SELECT setval('ticket_numbers',
	GREATEST((SELECT value FROM counters WHERE name = 'ticket'), (SELECT COALESCE(MAX(number), 0) FROM tickets), 1),
	(SELECT value FROM counters WHERE name = 'ticket') > 0 OR EXISTS (SELECT 1 FROM tickets));

-- The reminders job walks the tickets waiting on their requesters in
-- number order, a batch at a time from where the last one ended
-- (store.DueReminders). Without an index of its own each batch read the
-- waiting tickets through (queue_id, state) and sorted all of them: at a
-- million tickets, 80,000 waiting ones read again for every 100 due. This
-- partial index holds the waiting tickets only, in number order, so a batch
-- starts at its cursor and stops after its rows, and the other tickets are
-- never read. The query must say state = 'waiting' literally for it to
-- apply.
CREATE INDEX tickets_waiting ON tickets (number) WHERE state = 'waiting';

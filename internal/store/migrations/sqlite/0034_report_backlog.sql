-- Reports: the backlog at a day is every ticket opened up to it minus
-- those solved or closed by then, a sum over the whole history of
-- report_days. This index holds just the columns that sum reads, so it is
-- read instead of the table's wide rows (about 130 columns each).
CREATE INDEX report_days_backlog ON report_days (day, queue_id, confidential, channel, priority, created, solved, closed_other);

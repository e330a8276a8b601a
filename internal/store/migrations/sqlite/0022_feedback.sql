-- Satisfaction feedback: a ticket's requester rates the handling of a
-- resolved (or closed as solved) ticket once, 1 to 5, with an optional
-- comment. No column names who handled the ticket, and none names who
-- rated it (the ticket's requester): feedback is reported per queue and
-- organisation-wide, never per person. channel is where it was given:
-- link (the one-time link of the resolution mail), portal or api.
-- complaint_id is the complaint ticket staff made of a low rating, if any.
-- Times are Unix milliseconds (UTC).
CREATE TABLE feedback (
	id           INTEGER PRIMARY KEY,
	ticket_id    BIGINT  NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
	rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
	comment      TEXT    NOT NULL DEFAULT '',
	channel      TEXT    NOT NULL CHECK (channel IN ('link', 'portal', 'api')),
	created_at   BIGINT  NOT NULL,
	complaint_id BIGINT  REFERENCES tickets (id) ON DELETE SET NULL
);
CREATE INDEX feedback_created ON feedback (created_at);

-- The one-time links to rate a ticket without signing in, one per
-- resolution mail to the ticket's requester. Only the SHA-256 of the
-- token is kept; the token itself rides on the mail's outbox row until it
-- is sent. used_at is set when the link gave the rating.
CREATE TABLE feedback_links (
	id         INTEGER PRIMARY KEY,
	ticket_id  BIGINT  NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	token_hash TEXT    NOT NULL UNIQUE,
	created_at BIGINT  NOT NULL,
	expires_at BIGINT  NOT NULL,
	used_at    BIGINT
);
CREATE INDEX feedback_links_ticket ON feedback_links (ticket_id);

-- The new-ticket assistant: a leaf may point to another web application
-- (software orders, firewall requests, ...) instead of making a ticket.
-- Empty for a menu and for a leaf that names a queue.
ALTER TABLE assistant_nodes ADD COLUMN link_url TEXT NOT NULL DEFAULT '';

-- The new-ticket assistant: whether a node is a leaf (a request that makes
-- a ticket) or a menu. A leaf whose queue was deleted stays a leaf, so the
-- admin sees it needs a new queue instead of it silently turning into a menu.
ALTER TABLE assistant_nodes ADD COLUMN is_leaf BOOLEAN NOT NULL DEFAULT FALSE;

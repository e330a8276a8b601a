-- Text modules ("Textbausteine"): reusable answers with placeholders, and
-- macros: an answer plus field changes applied to a ticket in one step.
-- Each belongs either to one person (personal: nobody else sees it) or to
-- a queue (shared with its members; its members and admins manage it).

CREATE TABLE text_modules (
	id         INTEGER PRIMARY KEY,
	name       TEXT   NOT NULL,
	language   TEXT   NOT NULL CHECK (language IN ('de', 'en')),
	body       TEXT   NOT NULL,
	owner_id   BIGINT REFERENCES users (id) ON DELETE CASCADE,
	queue_id   BIGINT REFERENCES queues (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	CHECK ((owner_id IS NULL) <> (queue_id IS NULL))
);
-- One module per name and language in each owner's set: the German and
-- English texts of one name are the same module in two languages.
CREATE UNIQUE INDEX text_modules_personal ON text_modules (owner_id, LOWER(name), language) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX text_modules_shared ON text_modules (queue_id, LOWER(name), language) WHERE queue_id IS NOT NULL;

CREATE TABLE macros (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL,
	owner_id      BIGINT  REFERENCES users (id) ON DELETE CASCADE,
	queue_id      BIGINT  REFERENCES queues (id) ON DELETE CASCADE,
	-- The answer: a text module (its name picks the requester's language)
	-- or a text of its own in language; neither for a macro without entry.
	module_id     BIGINT  REFERENCES text_modules (id) ON DELETE SET NULL,
	body          TEXT    NOT NULL DEFAULT '',
	language      TEXT    NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
	entry_kind    TEXT    NOT NULL DEFAULT '' CHECK (entry_kind IN ('', 'message', 'question', 'answer', 'comment')),
	visibility    TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'staff', 'queue')),
	-- Field changes: resolve or close ('' none; a question makes the
	-- ticket wait), a priority ('' keeps it), take it, move it.
	state         TEXT    NOT NULL DEFAULT '' CHECK (state IN ('', 'resolve', 'close')),
	priority      TEXT    NOT NULL DEFAULT '' CHECK (priority IN ('', 'low', 'normal', 'high', 'urgent')),
	assign_me     BOOLEAN NOT NULL DEFAULT FALSE,
	move_queue_id BIGINT  REFERENCES queues (id) ON DELETE SET NULL,
	created_at    BIGINT  NOT NULL,
	updated_at    BIGINT  NOT NULL,
	CHECK ((owner_id IS NULL) <> (queue_id IS NULL))
);
CREATE UNIQUE INDEX macros_personal ON macros (owner_id, LOWER(name)) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX macros_shared ON macros (queue_id, LOWER(name)) WHERE queue_id IS NOT NULL;

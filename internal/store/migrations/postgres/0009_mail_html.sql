-- HTML that came by mail: the sanitised HTML of the new part of the mail
-- (cut like the entry's text, which stays the search source), '' for entries
-- without it; and the Content-ID of an attachment that was an inline image
-- of its mail, so that the HTML's cid: references find it.
ALTER TABLE entries ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN content_id TEXT NOT NULL DEFAULT '';

-- PostgreSQL keeps more statistics of the search documents' words from
-- here on (its 0038). SQLite counts a word's documents in its full-text
-- index instead (store.textPlan): nothing to change.
SELECT 1;

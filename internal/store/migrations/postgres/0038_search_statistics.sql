-- How a text search is evaluated depends on how common its words are
-- (store.textPlan), which PostgreSQL's planner estimates from the most
-- common elements it keeps of search_docs.terms. For a word outside them it
-- guesses half the least common one's frequency: with the default
-- statistics target (1,000 elements) that was 18,451 of 6.0 million
-- documents at a million tickets, for words that match a few hundred, and
-- a rare word's search probed the tickets one by one (850 ms). With 10,000
-- elements the guess for such a word is 1,075 (ANALYZE of search_docs: 6 s
-- at that size) and the search collects its few matches (about 10 ms).
-- The new target counts from the next ANALYZE, which autovacuum starts only
-- after 1 % of the documents changed (0032): this migration runs one.
ALTER TABLE search_docs ALTER COLUMN terms SET STATISTICS 1000;
ANALYZE search_docs;

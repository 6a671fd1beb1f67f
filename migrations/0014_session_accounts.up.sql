-- Each session row names the account it belongs to (NULL before sign-in), so that a signed-in request reads
-- its session and its account in one statement instead of two round trips. The value is the account id kept
-- inside the session's data, copied out by the portal whenever it writes the row; a session written before
-- this column existed has NULL and is read the old way until its next write.
ALTER TABLE sessions ADD COLUMN account_id bigint;

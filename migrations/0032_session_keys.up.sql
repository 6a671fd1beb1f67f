-- Session rows are keyed by the SHA-256 of their token from now on (postgres.SessionKey): the token itself
-- lives only in the browser's cookie, so a dump of the database holds no live session. Rows keyed by a token
-- in clear can no longer be found; they are deleted (their users sign in again).
DELETE FROM sessions;
ALTER TABLE sessions ADD CONSTRAINT sessions_token_is_a_key CHECK (token ~ '^[0-9a-f]{64}$');

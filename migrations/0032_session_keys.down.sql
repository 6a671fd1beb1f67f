ALTER TABLE sessions DROP CONSTRAINT sessions_token_is_a_key;
DELETE FROM sessions;

ALTER TABLE sessions DROP COLUMN account_id;

DROP INDEX filings_one_open_guided;
ALTER TABLE filings DROP COLUMN guided_org_id;

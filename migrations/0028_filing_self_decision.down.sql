ALTER TABLE filings DROP CONSTRAINT filings_self_decided_check;
ALTER TABLE filings DROP COLUMN self_decided;

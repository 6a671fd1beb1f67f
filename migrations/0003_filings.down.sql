DROP INDEX org_documents_filing_idx;
ALTER TABLE org_documents DROP CONSTRAINT org_documents_owner_check;
ALTER TABLE org_documents DROP COLUMN filing_id;
DROP TABLE filing_numbers;
DROP TABLE filings;

-- 四眼原则: a filing is decided by an officer other than the one who submitted it, unless the town has a single
-- active officer; then the decision is marked self_decided, and its history says so. Which officers are active
-- is the store's question at the time of the decision; the constraint keeps every decision made by the submitter
-- marked as such. NOT VALID: decisions recorded before the rule are not judged by it.
ALTER TABLE filings ADD COLUMN self_decided boolean NOT NULL DEFAULT false;
ALTER TABLE filings ADD CONSTRAINT filings_self_decided_check
    CHECK (decided_by IS NULL OR submitted_by IS NULL OR (decided_by = submitted_by) = self_decided) NOT VALID;

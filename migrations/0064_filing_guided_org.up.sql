-- Guided → filed on the same record (issue 13): a 成立备案 may name the guided group (村居指导) the committee already
-- records. Approving it moves that record up to 镇街备案 (timeline: tier_changed, filed) instead of inserting a
-- second organization, so the group counts once before and after. guided_org_id names the record from the
-- submission on; org_id stays NULL until approval, as for every 成立备案, and then is the same record.
ALTER TABLE filings ADD COLUMN guided_org_id bigint REFERENCES organizations (id);
ALTER TABLE filings ADD CONSTRAINT filings_guided_org_check
    CHECK (guided_org_id IS NULL OR (kind = 'establish' AND (status <> 'approved' OR org_id = guided_org_id)));
-- One open 成立备案 per guided group: two clerks filing the same group at once, the second is refused.
CREATE UNIQUE INDEX filings_one_open_guided ON filings (guided_org_id)
    WHERE guided_org_id IS NOT NULL AND status = 'submitted';

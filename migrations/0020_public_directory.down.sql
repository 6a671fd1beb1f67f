DROP TABLE community_offices;
DROP TRIGGER org_postings_truncate ON organizations;
DROP FUNCTION org_postings_truncate();
DROP TRIGGER org_postings_delete ON organizations;
DROP TRIGGER org_postings_update ON organizations;
DROP TRIGGER org_postings_insert ON organizations;
DROP FUNCTION org_postings_apply();
DROP FUNCTION org_posting_keys(text[], text[]);
DROP TABLE org_postings;

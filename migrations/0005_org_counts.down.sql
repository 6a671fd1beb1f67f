DROP TRIGGER org_counts_delete ON organizations;
DROP TRIGGER org_counts_update ON organizations;
DROP TRIGGER org_counts_insert ON organizations;
DROP FUNCTION org_counts_apply();
DROP TABLE org_counts;

DROP TRIGGER org_town_counts_delete ON organizations;
DROP TRIGGER org_town_counts_update ON organizations;
DROP TRIGGER org_town_counts_insert ON organizations;
DROP FUNCTION org_town_counts_apply();
DROP TABLE org_town_counts;

DROP INDEX audit_log_division_object_idx;
DROP TRIGGER organizations_division_open_update ON organizations;
DROP TRIGGER organizations_division_open_insert ON organizations;
DROP FUNCTION organizations_division_open();
DROP TRIGGER divisions_retire_empty ON divisions;
DROP FUNCTION divisions_retire_empty();
ALTER TABLE divisions
    DROP CONSTRAINT divisions_retire_community_only,
    DROP COLUMN retired_by,
    DROP COLUMN retired_at,
    DROP COLUMN version;

-- Divisions kept in the browser (issue 17): the district adds 社区/村, renames them, sets 社区/村 (urban/rural)
-- and retires one whose groups have all moved or ended. A retired community keeps its row (old records name
-- it); it is no longer offered for new records. version makes the district's edits optimistic.
ALTER TABLE divisions
    ADD COLUMN version    integer NOT NULL DEFAULT 1,
    ADD COLUMN retired_at timestamptz,
    ADD COLUMN retired_by bigint REFERENCES accounts (id),
    ADD CONSTRAINT divisions_retire_community_only CHECK (retired_at IS NULL OR level = 'community');

-- A community is retired only while it has no live group (正常 or 活动异常). Both sides take the community's row
-- lock, so the rule holds under concurrency: retiring locks the row for update before this check runs (and the
-- check's query, a fresh snapshot, sees a group committed while it waited); a group entering the community
-- takes the row FOR SHARE (organizations_division_open), so it waits for a retirement in flight and then sees it.
CREATE FUNCTION divisions_retire_empty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM organizations WHERE community_code = NEW.code AND status IN ('normal', 'abnormal')) THEN
        RAISE EXCEPTION 'community % still has live groups', NEW.code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'divisions_retire_live_groups';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER divisions_retire_empty BEFORE UPDATE OF retired_at ON divisions
    FOR EACH ROW WHEN (OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL)
    EXECUTE FUNCTION divisions_retire_empty();

CREATE FUNCTION organizations_division_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    retired timestamptz;
BEGIN
    SELECT d.retired_at INTO retired FROM divisions d WHERE d.code = NEW.community_code FOR SHARE;
    IF retired IS NOT NULL THEN
        RAISE EXCEPTION 'community % is retired', NEW.community_code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'organizations_division_retired';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER organizations_division_open_insert BEFORE INSERT ON organizations
    FOR EACH ROW WHEN (NEW.status IN ('normal', 'abnormal'))
    EXECUTE FUNCTION organizations_division_open();

CREATE TRIGGER organizations_division_open_update BEFORE UPDATE OF community_code, status ON organizations
    FOR EACH ROW WHEN (NEW.status IN ('normal', 'abnormal')
        AND (OLD.community_code IS DISTINCT FROM NEW.community_code OR OLD.status NOT IN ('normal', 'abnormal')))
    EXECUTE FUNCTION organizations_division_open();

-- A division's history is its audit rows: few, so a partial index finds them in the audit log at any size.
CREATE INDEX audit_log_division_object_idx ON audit_log (object_id, at DESC) WHERE object_type = 'division';

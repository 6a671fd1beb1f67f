-- Where the money went, without the groups' table (issue 15). The money overview totals every amount that
-- reached a group — contracts, 公益创投 awards, fund grants — by the group's town and urban/rural; it joined each
-- amount to the 2 M organizations to learn the group's 社区/村, a random read per amount (12,000 amounts: half a
-- second). Each money row now keeps its group's community_code, set from the group when the row is written and
-- moved with the group when it is transferred, so the totals read the money tables and the divisions alone.
ALTER TABLE contracts ADD COLUMN community_code text;
ALTER TABLE venture_applications ADD COLUMN community_code text;
ALTER TABLE fund_movements ADD COLUMN community_code text;

UPDATE contracts m SET community_code = o.community_code FROM organizations o WHERE o.id = m.org_id;
UPDATE venture_applications m SET community_code = o.community_code FROM organizations o WHERE o.id = m.org_id;
UPDATE fund_movements m SET community_code = o.community_code FROM organizations o WHERE o.id = m.org_id;

ALTER TABLE contracts ALTER COLUMN community_code SET NOT NULL;
ALTER TABLE venture_applications ALTER COLUMN community_code SET NOT NULL;
ALTER TABLE fund_movements ADD CONSTRAINT fund_movements_community_with_org
    CHECK ((org_id IS NULL) = (community_code IS NULL));

-- The group's rows, for the transfer below.
CREATE INDEX contracts_org_idx ON contracts (org_id);
CREATE INDEX venture_applications_org_idx ON venture_applications (org_id);
CREATE INDEX fund_movements_org_idx ON fund_movements (org_id) WHERE org_id IS NOT NULL;

-- A money row takes its group's community when written (whatever the statement says).
CREATE FUNCTION money_community_of_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.org_id IS NULL THEN
        NEW.community_code := NULL;
    ELSE
        SELECT community_code INTO NEW.community_code FROM organizations WHERE id = NEW.org_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER contracts_community BEFORE INSERT OR UPDATE OF org_id, community_code ON contracts
    FOR EACH ROW EXECUTE FUNCTION money_community_of_org();
CREATE TRIGGER venture_applications_community BEFORE INSERT OR UPDATE OF org_id, community_code ON venture_applications
    FOR EACH ROW EXECUTE FUNCTION money_community_of_org();
CREATE TRIGGER fund_movements_community BEFORE INSERT OR UPDATE OF org_id, community_code ON fund_movements
    FOR EACH ROW EXECUTE FUNCTION money_community_of_org();

-- A group moved to another community takes its money rows along (the totals count a group where it is now).
CREATE FUNCTION organizations_money_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contracts SET community_code = NEW.community_code WHERE org_id = NEW.id;
    UPDATE venture_applications SET community_code = NEW.community_code WHERE org_id = NEW.id;
    UPDATE fund_movements SET community_code = NEW.community_code WHERE org_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_money_follows AFTER UPDATE OF community_code ON organizations
    FOR EACH ROW WHEN (OLD.community_code IS DISTINCT FROM NEW.community_code)
    EXECUTE FUNCTION organizations_money_follows();

-- 供需对接 linked to the money and platform modules: a match that came to 政府购买服务 names its contract
-- (contracts of migration 0026), and a 洽谈会 may be held in a support platform's room (rooms of 0024). These
-- replace the outcome's free reference and the fair's free venue for new rows; old rows keep their text.

ALTER TABLE matches ADD COLUMN contract_id bigint REFERENCES contracts (id);
CREATE INDEX matches_contract_idx ON matches (contract_id) WHERE contract_id IS NOT NULL;
ALTER TABLE matches ADD CONSTRAINT matches_contract_only_for_contract CHECK (contract_id IS NULL OR outcome = 'contract');
-- Every new 政府购买服务 match names its contract; rows from before this migration are not checked (NOT VALID).
ALTER TABLE matches ADD CONSTRAINT matches_contract_named CHECK (outcome <> 'contract' OR contract_id IS NOT NULL) NOT VALID;

ALTER TABLE matching_events ADD COLUMN room_id bigint REFERENCES rooms (id);
CREATE INDEX matching_events_room_idx ON matching_events (room_id) WHERE room_id IS NOT NULL;

-- The contract a match names is one the project's own group holds.
CREATE FUNCTION matches_contract_of_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.contract_id IS NOT NULL AND
       (SELECT org_id FROM contracts WHERE id = NEW.contract_id) IS DISTINCT FROM
       (SELECT org_id FROM service_projects WHERE id = NEW.project_id) THEN
        RAISE EXCEPTION 'contract of another group' USING ERRCODE = '23514', CONSTRAINT = 'matches_contract_of_project';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER matches_contract_of_project BEFORE INSERT OR UPDATE ON matches
    FOR EACH ROW EXECUTE FUNCTION matches_contract_of_project();

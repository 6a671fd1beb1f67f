-- A 公益创投 match names the application it came to (applications of 0027), as a 政府购买服务 match names its
-- contract (0049): the free 申报编号 stays for rows from before, which keep their text and are not checked.
ALTER TABLE matches ADD COLUMN application_id bigint REFERENCES venture_applications (id);
CREATE INDEX matches_application_idx ON matches (application_id) WHERE application_id IS NOT NULL;
ALTER TABLE matches ADD CONSTRAINT matches_application_only_for_venture
    CHECK (application_id IS NULL OR outcome = 'venture');
ALTER TABLE matches ADD CONSTRAINT matches_application_named
    CHECK (outcome <> 'venture' OR application_id IS NOT NULL) NOT VALID;

-- The application a match names is one the project's own group made.
CREATE FUNCTION matches_application_of_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.application_id IS NOT NULL AND
       (SELECT org_id FROM venture_applications WHERE id = NEW.application_id) IS DISTINCT FROM
       (SELECT org_id FROM service_projects WHERE id = NEW.project_id) THEN
        RAISE EXCEPTION 'application of another group' USING ERRCODE = '23514',
            CONSTRAINT = 'matches_application_of_project';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER matches_application_of_project BEFORE INSERT OR UPDATE ON matches
    FOR EACH ROW EXECUTE FUNCTION matches_application_of_project();

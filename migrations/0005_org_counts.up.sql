-- Kept counts of organizations per community, tier, legal form and status, so that dashboards and totals
-- never recount millions of rows (PERFORMANCE.md: count(*) GROUP BY over 1 M rows took ~350 ms).
-- Statement-level triggers with transition tables keep them: one COPY of 2 M rows updates a few hundred
-- count rows once, instead of firing 2 M times.
CREATE TABLE org_counts (
    community_code text NOT NULL,
    tier           text NOT NULL,
    legal_form     text NOT NULL,
    status         text NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (community_code, tier, legal_form, status)
);

CREATE FUNCTION org_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO org_counts AS c (community_code, tier, legal_form, status, n)
        SELECT community_code, tier, legal_form, status, -count(*) FROM old_rows
        GROUP BY community_code, tier, legal_form, status
        ON CONFLICT (community_code, tier, legal_form, status) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO org_counts AS c (community_code, tier, legal_form, status, n)
        SELECT community_code, tier, legal_form, status, count(*) FROM new_rows
        GROUP BY community_code, tier, legal_form, status
        ON CONFLICT (community_code, tier, legal_form, status) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER org_counts_insert AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_counts_apply();
CREATE TRIGGER org_counts_update AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_counts_apply();
CREATE TRIGGER org_counts_delete AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION org_counts_apply();

-- Start from what is there.
INSERT INTO org_counts (community_code, tier, legal_form, status, n)
SELECT community_code, tier, legal_form, status, count(*) FROM organizations
GROUP BY community_code, tier, legal_form, status;

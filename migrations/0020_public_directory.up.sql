-- The public side: the directory's name index and each community's public office (the only way the public
-- reaches a group, unless the group chose to publish a contact).

-- The public directory's index: a posting per distinct two-character piece of an organization's name, and one
-- per 服务领域 it lists (key 'f:' || field, which no two-character piece can equal). The directory walks one
-- key's postings newest-first (the primary key read backwards, index only) and rechecks each candidate, so a
-- page costs what it holds, not what the registry holds: the GIN index on name_bigrams answers "which rows" but
-- not "the newest thirty of them", and sorting every match of a common piece is what made searches slow at
-- 2 M rows. Kept by statement triggers, so a COPY of millions of rows adds one INSERT … SELECT, not a call per
-- row.
CREATE TABLE org_postings (
    key    text NOT NULL,
    org_id bigint NOT NULL,
    PRIMARY KEY (key, org_id)
);

CREATE FUNCTION org_posting_keys(bigrams text[], fields text[]) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
    SELECT unnest(bigrams) UNION SELECT 'f:' || unnest(fields)
$$;

CREATE FUNCTION org_postings_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO org_postings (key, org_id)
        SELECT k, n.id FROM new_rows n, org_posting_keys(n.name_bigrams, n.fields) k;
    ELSIF TG_OP = 'UPDATE' THEN
        -- most updates (status, leader, venue) leave name and fields alone and touch nothing here
        DELETE FROM org_postings p USING old_rows o JOIN new_rows n ON n.id = o.id
        WHERE p.org_id = o.id AND (o.name, o.fields) IS DISTINCT FROM (n.name, n.fields);
        INSERT INTO org_postings (key, org_id)
        SELECT k, n.id FROM old_rows o JOIN new_rows n ON n.id = o.id, org_posting_keys(n.name_bigrams, n.fields) k
        WHERE (o.name, o.fields) IS DISTINCT FROM (n.name, n.fields);
    ELSE
        DELETE FROM org_postings p USING old_rows o WHERE p.org_id = o.id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER org_postings_insert AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_postings_apply();
CREATE TRIGGER org_postings_update AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_postings_apply();
CREATE TRIGGER org_postings_delete AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION org_postings_apply();

CREATE FUNCTION org_postings_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE org_postings;
    RETURN NULL;
END;
$$;
CREATE TRIGGER org_postings_truncate AFTER TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION org_postings_truncate();

INSERT INTO org_postings (key, org_id)
SELECT k, o.id FROM organizations o, org_posting_keys(o.name_bigrams, o.fields) k;

-- 村(居)委会 public office: the phone and address a resident uses to reach a group through its community. Set
-- by the town or the district; an office phone is public by its nature, unlike a 负责人's.
CREATE TABLE community_offices (
    community_code text PRIMARY KEY REFERENCES divisions (code) CHECK (length(community_code) = 12),
    phone          text NOT NULL DEFAULT '' CHECK (phone ~ '^(0[0-9]{2,3}-[0-9]{7,8})?$'),
    address        text NOT NULL DEFAULT '' CHECK (char_length(address) <= 100),
    hours          text NOT NULL DEFAULT '' CHECK (char_length(hours) <= 60),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     bigint REFERENCES accounts (id)
);

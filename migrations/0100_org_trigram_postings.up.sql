-- The public directory's three-character index. A search of three or more characters walks the postings of
-- one of its three-character pieces (org_trigram_postings) instead of a two-character one (org_postings):
-- a name's pieces cross the parts of its grammar (community, 字号, 服务领域, form), so a two-character piece of
-- a longer term (屏村, 村阳) is common while the term (玉屏村阳) is rare, and walking it newest-first read
-- thousands of candidates to fill a page; a three-character piece (屏村阳) is nearly as rare as the term, so a
-- page reads about a page of candidates. Like org_postings it carries one key per 服务领域 ('f:' || field,
-- longer than any piece), so that a search with a 服务领域 filter probes one table. Kept in step with every
-- name and 服务领域 by statement triggers, as org_postings is (migration 0020).
CREATE FUNCTION cso_trigrams(s text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(array_agg(DISTINCT substr(s, i, 3)), '{}')
    FROM generate_series(1, char_length(s) - 2) AS i
$$;

CREATE FUNCTION org_trigram_keys(name text, fields text[]) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
    SELECT unnest(cso_trigrams(name)) UNION SELECT 'f:' || unnest(fields)
$$;

CREATE TABLE org_trigram_postings (
    key    text NOT NULL,
    org_id bigint NOT NULL
);

-- Filled before its key exists: one sort builds the index, where inserting into it would split pages.
INSERT INTO org_trigram_postings (key, org_id)
SELECT k, o.id FROM organizations o, org_trigram_keys(o.name, o.fields) k;

SET maintenance_work_mem = '512MB';
ALTER TABLE org_trigram_postings ADD PRIMARY KEY (key, org_id);
RESET maintenance_work_mem;

CREATE FUNCTION org_trigram_postings_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO org_trigram_postings (key, org_id)
        SELECT k, n.id FROM new_rows n, org_trigram_keys(n.name, n.fields) k;
    ELSIF TG_OP = 'UPDATE' THEN
        -- most updates (status, leader, venue) leave name and fields alone and touch nothing here
        DELETE FROM org_trigram_postings p USING old_rows o JOIN new_rows n ON n.id = o.id
        WHERE p.org_id = o.id AND (o.name, o.fields) IS DISTINCT FROM (n.name, n.fields);
        INSERT INTO org_trigram_postings (key, org_id)
        SELECT k, n.id FROM old_rows o JOIN new_rows n ON n.id = o.id, org_trigram_keys(n.name, n.fields) k
        WHERE (o.name, o.fields) IS DISTINCT FROM (n.name, n.fields);
    ELSE
        DELETE FROM org_trigram_postings p USING old_rows o WHERE p.org_id = o.id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER org_trigram_postings_insert AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_trigram_postings_apply();
CREATE TRIGGER org_trigram_postings_update AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_trigram_postings_apply();
CREATE TRIGGER org_trigram_postings_delete AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION org_trigram_postings_apply();

CREATE FUNCTION org_trigram_postings_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE org_trigram_postings;
    RETURN NULL;
END;
$$;
CREATE TRIGGER org_trigram_postings_truncate AFTER TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION org_trigram_postings_truncate();

-- How many postings each key of org_trigram_postings has, kept exact by statement triggers on the postings, so
-- that a search picks the rarest piece of its term by its count rather than by counting up to a cap: the
-- capped counts read about 1,700 index entries for every term of two pieces or more, and any two pieces past the
-- cap looked alike. A key without postings has no row.
CREATE TABLE org_trigram_counts (
    key text PRIMARY KEY,
    n   bigint NOT NULL CHECK (n > 0)
);

INSERT INTO org_trigram_counts (key, n)
SELECT key, count(*) FROM org_trigram_postings GROUP BY key;

-- Keys are taken in their order, so that two writers adding the same keys lock their rows in the same order.
CREATE FUNCTION org_trigram_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO org_trigram_counts AS c (key, n)
    SELECT key, count(*) FROM new_rows GROUP BY key ORDER BY key
    ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;

CREATE FUNCTION org_trigram_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM org_trigram_counts c USING (SELECT key, count(*) AS n FROM old_rows GROUP BY key) d
    WHERE c.key = d.key AND c.n = d.n;
    UPDATE org_trigram_counts c SET n = c.n - d.n
    FROM (SELECT key, count(*) AS n FROM old_rows GROUP BY key ORDER BY key) d
    WHERE c.key = d.key;
    RETURN NULL;
END;
$$;

CREATE FUNCTION org_trigram_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE org_trigram_counts;
    RETURN NULL;
END;
$$;

CREATE TRIGGER org_trigram_counts_insert AFTER INSERT ON org_trigram_postings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_trigram_counts_add();
CREATE TRIGGER org_trigram_counts_delete AFTER DELETE ON org_trigram_postings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION org_trigram_counts_remove();
CREATE TRIGGER org_trigram_counts_truncate AFTER TRUNCATE ON org_trigram_postings
    FOR EACH STATEMENT EXECUTE FUNCTION org_trigram_counts_truncate();

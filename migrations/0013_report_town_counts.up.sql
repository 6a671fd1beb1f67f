-- Report totals of a whole district summed report_counts' rows for every community, series and category: 6,480
-- rows for 渝北 at 10 M reports, 5 ms of every district report list page. The same counts kept per town make
-- that sum 720 rows; a town's or a community's total still reads report_counts.
CREATE TABLE report_town_counts (
    town_code text NOT NULL,
    series    text NOT NULL,
    category  text NOT NULL,
    n         bigint NOT NULL,
    PRIMARY KEY (town_code, series, category)
);

CREATE FUNCTION report_town_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO report_town_counts AS c (town_code, series, category, n)
        SELECT town_code, series, category, -count(*) FROM old_rows WHERE superseded_at IS NULL
        GROUP BY town_code, series, category
        ON CONFLICT (town_code, series, category) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO report_town_counts AS c (town_code, series, category, n)
        SELECT town_code, series, category, count(*) FROM new_rows WHERE superseded_at IS NULL
        GROUP BY town_code, series, category
        ON CONFLICT (town_code, series, category) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER report_town_counts_insert AFTER INSERT ON activity_reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_town_counts_apply();
CREATE TRIGGER report_town_counts_update AFTER UPDATE ON activity_reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_town_counts_apply();
CREATE TRIGGER report_town_counts_delete AFTER DELETE ON activity_reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_town_counts_apply();

INSERT INTO report_town_counts (town_code, series, category, n)
SELECT town_code, series, category, count(*) FROM activity_reports WHERE superseded_at IS NULL
GROUP BY town_code, series, category;

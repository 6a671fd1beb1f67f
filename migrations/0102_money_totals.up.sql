-- Where the money went, kept (issue 15). The money overview summed every contract, 公益创投 award and fund grant
-- of its jurisdiction on each request (12,000 rows at the district in the bench: 93 statements a second in
-- PostgreSQL alone). As org_counts is kept for organizations, money_totals keeps the sums, per town and
-- urban/rural (the community's flag), of each breakdown the overview shows: by source, by 主题系列 and by 服务对象
-- (one row per member of a row's set). The overview reads a few hundred rows whatever the number of amounts.
--
-- Statement-level triggers with transition tables keep it in the same transaction as the money rows: an insert,
-- an update (a new amount, series or set, an award given, a group moved to another community by 0095's trigger)
-- and a delete each add what the new rows bring and take away what the old rows brought, netted, so an update
-- that changes none of it (a payment's paid, a status) writes nothing. A community whose 社区/村 flag changes moves
-- its amounts to the other side; a TRUNCATE recounts. The town is the community code's first nine digits (a
-- division's code starts with its parent's, 0001).
CREATE TABLE money_totals (
    town_code text NOT NULL,
    rural     boolean NOT NULL,
    by        text NOT NULL CHECK (by IN ('source', 'series', 'beneficiary')),
    key       text NOT NULL,
    amount    numeric(16, 2) NOT NULL,
    n         bigint NOT NULL,
    PRIMARY KEY (town_code, rural, by, key)
);

-- Every amount that reached a group, with the group's community: the rows the totals keep (the recount below,
-- and the tests that compare the kept totals with the rows, read it).
CREATE VIEW money_amounts AS
    SELECT 'contract' AS source, community_code, series, beneficiaries, amount FROM contracts
    UNION ALL
    SELECT 'award', community_code, theme, beneficiaries, awarded_amount
    FROM venture_applications WHERE awarded_amount IS NOT NULL
    UNION ALL
    SELECT 'grant', community_code, series, '{}'::text[], amount FROM fund_movements WHERE kind = 'grant';

-- money_totals_add is the statement that adds the amounts of a query's rows (source, community_code, rural,
-- series, beneficiaries, amount, sign), each counted sign times, in a fixed order of keys so that two writers lock
-- the kept rows alike. The trigger functions EXECUTE it themselves: a trigger's transition tables are seen by
-- its own function's statements only.
CREATE FUNCTION money_totals_add(rows_sql text) RETURNS text LANGUAGE sql RETURN format($q$
    INSERT INTO money_totals AS k (town_code, rural, by, key, amount, n)
    SELECT left(d.community_code, 9), d.rural, g.by, g.key, sum(d.amount * d.sign), sum(d.sign)
    FROM (%s) d (source, community_code, rural, series, beneficiaries, amount, sign)
    CROSS JOIN LATERAL (SELECT 'source', d.source UNION ALL SELECT 'series', d.series
                        UNION ALL SELECT 'beneficiary', b FROM unnest(d.beneficiaries) b) g (by, key)
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign) <> 0 OR sum(d.amount * d.sign) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (town_code, rural, by, key)
    DO UPDATE SET amount = k.amount + excluded.amount, n = k.n + excluded.n$q$, rows_sql);

-- The trigger of one money table; its arguments are the source and the expressions, on the row r, of its
-- series, set and amount and of the condition a row counts on.
CREATE FUNCTION money_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cols text := format('%L::text, r.community_code, c.rural, %s, %s, %s', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3]);
    old_sql text := format('SELECT %s, -1 FROM old_rows r JOIN divisions c ON c.code = r.community_code WHERE %s',
                           cols, TG_ARGV[4]);
    new_sql text := format('SELECT %s, 1 FROM new_rows r JOIN divisions c ON c.code = r.community_code WHERE %s',
                           cols, TG_ARGV[4]);
BEGIN
    -- A statement that touched no row returns at once: a group's move runs one UPDATE per money table for every
    -- group moved, most of which have no money, and the statement below is planned afresh on each run.
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
        RETURN NULL;
    END IF;
    EXECUTE money_totals_add(CASE TG_OP WHEN 'INSERT' THEN new_sql WHEN 'DELETE' THEN old_sql
                                        ELSE old_sql || ' UNION ALL ' || new_sql END);
    RETURN NULL;
END $$;

CREATE TRIGGER money_totals_insert AFTER INSERT ON contracts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('contract', 'r.series', 'r.beneficiaries', 'r.amount', 'true');
CREATE TRIGGER money_totals_update AFTER UPDATE ON contracts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('contract', 'r.series', 'r.beneficiaries', 'r.amount', 'true');
CREATE TRIGGER money_totals_delete AFTER DELETE ON contracts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('contract', 'r.series', 'r.beneficiaries', 'r.amount', 'true');

CREATE TRIGGER money_totals_insert AFTER INSERT ON venture_applications REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('award', 'r.theme', 'r.beneficiaries', 'r.awarded_amount',
                                                           'r.awarded_amount IS NOT NULL');
CREATE TRIGGER money_totals_update AFTER UPDATE ON venture_applications REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('award', 'r.theme', 'r.beneficiaries', 'r.awarded_amount',
                                                           'r.awarded_amount IS NOT NULL');
CREATE TRIGGER money_totals_delete AFTER DELETE ON venture_applications REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('award', 'r.theme', 'r.beneficiaries', 'r.awarded_amount',
                                                           'r.awarded_amount IS NOT NULL');

CREATE TRIGGER money_totals_insert AFTER INSERT ON fund_movements REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('grant', 'r.series', '''{}''::text[]', 'r.amount',
                                                           'r.kind = ''grant''');
CREATE TRIGGER money_totals_update AFTER UPDATE ON fund_movements REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('grant', 'r.series', '''{}''::text[]', 'r.amount',
                                                           'r.kind = ''grant''');
CREATE TRIGGER money_totals_delete AFTER DELETE ON fund_movements REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_apply('grant', 'r.series', '''{}''::text[]', 'r.amount',
                                                           'r.kind = ''grant''');

-- money_totals_recount counts the totals afresh from the rows: once below, and after a TRUNCATE (of
-- organizations with CASCADE, in tests), which keeps no transition table.
CREATE FUNCTION money_totals_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM money_totals;
    EXECUTE money_totals_add('SELECT m.source, m.community_code, c.rural, m.series, m.beneficiaries, m.amount, 1
                              FROM money_amounts m JOIN divisions c ON c.code = m.community_code');
END $$;
CREATE FUNCTION money_totals_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM money_totals_recount();
    RETURN NULL;
END $$;
CREATE TRIGGER money_totals_truncate AFTER TRUNCATE ON contracts
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_truncated();
CREATE TRIGGER money_totals_truncate AFTER TRUNCATE ON venture_applications
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_truncated();
CREATE TRIGGER money_totals_truncate AFTER TRUNCATE ON fund_movements
    FOR EACH STATEMENT EXECUTE FUNCTION money_totals_truncated();

-- A community that becomes a 村 (or a 社区) takes its amounts to the other side.
CREATE FUNCTION money_totals_rural() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE money_totals_add(format(
        'SELECT source, community_code, %L::boolean, series, beneficiaries, amount, -1 FROM money_amounts
         WHERE community_code = %L
         UNION ALL
         SELECT source, community_code, %L::boolean, series, beneficiaries, amount, 1 FROM money_amounts
         WHERE community_code = %L', OLD.rural, OLD.code, NEW.rural, NEW.code));
    RETURN NULL;
END $$;
CREATE TRIGGER money_totals_rural AFTER UPDATE OF rural ON divisions
    FOR EACH ROW WHEN (OLD.rural IS DISTINCT FROM NEW.rural) EXECUTE FUNCTION money_totals_rural();

-- Start from what is there.
SELECT money_totals_recount();

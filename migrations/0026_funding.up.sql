-- Money (seed §三(一)3): 政府购买服务 contracts and their installment payments, and 工作基金 with their income and
-- grants. Amounts are exact: numeric yuan with fen, never floats. The kept totals (paid, balance) are updated by
-- triggers under the row lock of the contract or fund, so two payments or grants at once cannot both pass the
-- CHECK that bounds them.

CREATE TABLE contracts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the purchaser: the district or a town
    division_code   text NOT NULL REFERENCES divisions (code) CHECK (length(division_code) IN (6, 9)),
    org_id          bigint NOT NULL REFERENCES organizations (id),       -- the provider
    platform_id     bigint REFERENCES platforms (id),                    -- a platform acting for it, if any
    project         text NOT NULL CHECK (char_length(project) BETWEEN 2 AND 80),
    series          text NOT NULL DEFAULT '' CHECK (series IN ('', '邻里守望', '共建共治共享', '共创平安', '文化铸魂')),
    beneficiaries   text[] NOT NULL DEFAULT '{}',                         -- 服务对象
    amount          numeric(14, 2) NOT NULL CHECK (amount > 0),
    paid            numeric(14, 2) NOT NULL DEFAULT 0,
    CONSTRAINT contracts_paid_within_amount CHECK (paid >= 0 AND paid <= amount),
    starts_on       date NOT NULL,
    ends_on         date NOT NULL,
    CHECK (ends_on >= starts_on),
    deliverables    text NOT NULL DEFAULT '',
    -- 履约中, then 验收: accepted 合格, rework 整改, failed 不合格
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'accepted', 'rework', 'failed')),
    accepted_on     date,
    acceptance_note text NOT NULL DEFAULT '',
    signed_on       date NOT NULL,
    demo            boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1
);
CREATE INDEX contracts_division_idx ON contracts (division_code text_pattern_ops, id);

CREATE TABLE contract_payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contract_id  bigint NOT NULL REFERENCES contracts (id),
    paid_on      date NOT NULL,
    amount       numeric(14, 2) NOT NULL CHECK (amount > 0),
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contract_payments_idx ON contract_payments (contract_id, id);

CREATE FUNCTION contract_payments_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contracts SET paid = paid + NEW.amount WHERE id = NEW.contract_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER contract_payments_apply AFTER INSERT ON contract_payments
    FOR EACH ROW EXECUTE FUNCTION contract_payments_apply();

-- 工作基金: a town's or the district's fund.
CREATE TABLE funds (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    division_code  text NOT NULL REFERENCES divisions (code) CHECK (length(division_code) IN (6, 9)),
    name           text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 60),
    balance        numeric(14, 2) NOT NULL DEFAULT 0,
    CONSTRAINT funds_balance_not_negative CHECK (balance >= 0),
    demo           boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (division_code, name)
);

CREATE TABLE fund_movements (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fund_id      bigint NOT NULL REFERENCES funds (id),
    -- income: allocation 拨款, donation 捐赠; out: grant 资助
    kind         text NOT NULL CHECK (kind IN ('allocation', 'donation', 'grant')),
    amount       numeric(14, 2) NOT NULL CHECK (amount > 0),
    on_date      date NOT NULL,
    donor        text NOT NULL DEFAULT '',
    purpose      text NOT NULL DEFAULT '',
    org_id       bigint REFERENCES organizations (id),
    series       text NOT NULL DEFAULT '' CHECK (series IN ('', '邻里守望', '共建共治共享', '共创平安', '文化铸魂')),
    CHECK (kind <> 'donation' OR donor <> ''),
    CHECK ((kind = 'grant') = (org_id IS NOT NULL)),
    created_by   bigint REFERENCES accounts (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fund_movements_idx ON fund_movements (fund_id, id);

CREATE FUNCTION fund_movements_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE funds SET balance = balance + CASE WHEN NEW.kind = 'grant' THEN -NEW.amount ELSE NEW.amount END
    WHERE id = NEW.fund_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER fund_movements_apply AFTER INSERT ON fund_movements
    FOR EACH ROW EXECUTE FUNCTION fund_movements_apply();

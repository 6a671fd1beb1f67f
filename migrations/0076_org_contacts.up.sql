-- 联系人 (行动方案 §三(二)3 "配备专人联系、指导和服务", issue 15): the community or platform staff member who follows
-- a group, set and changed by the committee or town that keeps the group. Every change is a row: the current
-- 联系人 is the one row with no until_on, and the row it replaced ends the day the new one starts. The phone is
-- sealed like a leader's (the key lives outside the database) and shown masked. The group's jurisdiction is
-- copied, as on every other table, so a scope test is an indexed equality.
CREATE TABLE org_contacts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code text NOT NULL REFERENCES divisions (code)
                   CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 30),
    -- 社区工作人员, 社会工作者 or 支持平台工作人员
    kind           text NOT NULL CHECK (kind IN ('社区工作人员', '社会工作者', '支持平台工作人员')),
    unit           text NOT NULL CHECK (char_length(unit) BETWEEN 1 AND 60),
    phone_enc      bytea NOT NULL,
    phone_mask     text NOT NULL,
    from_on        date NOT NULL CHECK (from_on >= date '2000-01-01'),
    until_on       date,
    CONSTRAINT org_contacts_period CHECK (until_on IS NULL OR until_on >= from_on),
    set_by         bigint REFERENCES accounts (id),
    set_at         timestamptz NOT NULL DEFAULT now()
);
-- one current 联系人 a group: two clerks setting the first one at once cannot both win
CREATE UNIQUE INDEX org_contacts_current ON org_contacts (org_id) WHERE until_on IS NULL;
CREATE INDEX org_contacts_org_idx ON org_contacts (org_id, id DESC);

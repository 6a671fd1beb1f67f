-- 三会一课 (行动方案 §三(四)1, issue 17): a group with a 党组织 (单独建立 or 联合建立) records its 支部党员大会,
-- 支委会, 党小组会 and 党课, each with its date, topic and attendance. The jurisdiction is copied from the group
-- when recorded, as on every other table, so a scope test is an indexed equality; the statistics count them per
-- community and period over party_meetings_community_idx.
CREATE TABLE party_meetings (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code text NOT NULL REFERENCES divisions (code)
                   CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    -- assembly 支部党员大会, committee 支委会, group 党小组会, lecture 党课
    kind           text NOT NULL CHECK (kind IN ('assembly', 'committee', 'group', 'lecture')),
    held_on        date NOT NULL CHECK (held_on >= date '2000-01-01'),
    topic          text NOT NULL CHECK (char_length(topic) BETWEEN 1 AND 100),
    attendance     integer NOT NULL CHECK (attendance BETWEEN 1 AND 10000),
    recorded_by    bigint REFERENCES accounts (id),
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX party_meetings_org_idx ON party_meetings (org_id, held_on DESC, id DESC);
CREATE INDEX party_meetings_community_idx ON party_meetings (community_code, held_on);

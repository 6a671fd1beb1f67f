-- 慈善组织认定 (慈善法 §10, 行动方案 §三(一)3 "支持有条件的社会组织登记认定为慈善组织", issue 15): the civil-affairs
-- department's decision that a registered organization is a 慈善组织, and its revocation. Every decision is a row
-- with its date, the deciding body and its document (stored by internal/uploads); the organization's standing is
-- its latest row. The jurisdiction is copied from the organization, as on every other table.
CREATE TABLE charity_recognitions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code text NOT NULL REFERENCES divisions (code)
                   CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    -- recognized 认定为慈善组织, revoked 撤销认定
    status         text NOT NULL CHECK (status IN ('recognized', 'revoked')),
    -- the 慈善法 took effect on 2016-09-01
    decided_on     date NOT NULL CHECK (decided_on >= date '2016-09-01'),
    body           text NOT NULL CHECK (char_length(body) BETWEEN 2 AND 60),
    note           text NOT NULL DEFAULT '' CHECK (char_length(note) <= 200),
    filename       text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 120),
    content_type   text NOT NULL,
    size_bytes     bigint NOT NULL CHECK (size_bytes > 0),
    storage_key    text NOT NULL UNIQUE,
    sha256         text NOT NULL,
    recorded_by    bigint REFERENCES accounts (id),
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX charity_recognitions_org_idx ON charity_recognitions (org_id, id DESC);

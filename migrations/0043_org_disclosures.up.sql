-- 信息公开 by a group (seed §三(四)3): what its committee (or, for a filed or registered group, its town)
-- publishes about the group's work, money and decisions — 年度工作报告, 收支情况 and 重大事项.
--
-- A disclosure is a chain of revisions sharing disclosure_no, like activity reports: a correction marks the
-- current revision superseded, inserts the next one and points the old one at it. The old row stays, and the
-- public profile shows it as superseded, so a correction never hides what was first published.
CREATE SEQUENCE org_disclosure_no_seq;

CREATE TABLE org_disclosures (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    disclosure_no     bigint NOT NULL,
    revision          integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    superseded_by     bigint REFERENCES org_disclosures (id),
    superseded_at     timestamptz,
    CHECK (superseded_by IS NULL OR superseded_at IS NOT NULL),
    correction_reason text NOT NULL DEFAULT '' CHECK (char_length(correction_reason) <= 200),
    CHECK (revision = 1 OR correction_reason <> ''),
    org_id            bigint NOT NULL REFERENCES organizations (id),
    -- jurisdiction, copied from the organization by the inserting statement, never from input
    district_code     text NOT NULL CHECK (length(district_code) = 6),
    town_code         text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code    text NOT NULL REFERENCES divisions (code)
                      CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    kind              text NOT NULL CHECK (kind IN ('annual', 'finance', 'major')),
    title             text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
    disclosed_on      date NOT NULL,
    body              text NOT NULL DEFAULT '' CHECK (char_length(body) <= 4000),
    published_by      bigint REFERENCES accounts (id),
    published_by_name text NOT NULL DEFAULT '',
    published_at      timestamptz NOT NULL DEFAULT now(),
    demo              boolean NOT NULL DEFAULT false,
    version           integer NOT NULL DEFAULT 1, -- bumped when the revision is superseded
    UNIQUE (disclosure_no, revision)
);
-- One current revision per disclosure: two corrections of one revision cannot both win.
CREATE UNIQUE INDEX org_disclosures_current_key ON org_disclosures (disclosure_no) WHERE superseded_at IS NULL;
-- A group's disclosures, every revision, newest first: the profile and the record read one index range.
CREATE INDEX org_disclosures_org_idx ON org_disclosures (org_id, disclosed_on DESC, id DESC);

-- 收支情况: income and spending by category, in 分 so sums are exact. Only a finance disclosure has lines.
CREATE TABLE org_disclosure_lines (
    disclosure_id bigint NOT NULL REFERENCES org_disclosures (id),
    position      integer NOT NULL CHECK (position BETWEEN 1 AND 20),
    side          text NOT NULL CHECK (side IN ('income', 'spending')),
    category      text NOT NULL CHECK (char_length(category) BETWEEN 1 AND 20),
    amount_fen    bigint NOT NULL CHECK (amount_fen BETWEEN 0 AND 100000000000),
    PRIMARY KEY (disclosure_id, position),
    UNIQUE (disclosure_id, side, category)
);

-- 定期工作报告 and 评估评议 (DESIGN.md workflow 6). Each group reports its work to its 村(社区)两委 once a period
-- (a half-year by default; the length is a constant in the code), the committee submitting on its behalf; each
-- year the committee scores each group and records residents' views, and the grade is kept as a reference.
--
-- Both tables keep every version as a row: a second report for the same period is a correction (revision 2, 3 …)
-- and a re-evaluation of the same year is version 2, 3 …; the latest row is the one that counts and the earlier
-- ones are its history. Revision/version 1 exists for every reported period and evaluated year, so "has it
-- reported" is a join on revision 1, one row per group.

CREATE TABLE work_reports (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    -- jurisdiction, copied from the organization in the INSERT (never from input)
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code text NOT NULL REFERENCES divisions (code)
                   CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    period_year    integer NOT NULL CHECK (period_year BETWEEN 2000 AND 2200),
    period_no      smallint NOT NULL CHECK (period_no BETWEEN 1 AND 12), -- 1 上半年, 2 下半年 with half-years
    revision       integer NOT NULL CHECK (revision >= 1),
    summary        text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 4000),  -- 工作总结
    activities     integer NOT NULL CHECK (activities >= 0),                       -- 开展活动次数
    members        integer NOT NULL CHECK (members >= 0),                          -- 现有成员人数
    plans          text NOT NULL DEFAULT '' CHECK (char_length(plans) <= 2000),    -- 存在问题和下步计划
    submitted_by   bigint REFERENCES accounts (id),
    submitted_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, period_year, period_no, revision)
);
-- The coverage pages: a community's, town's or district's groups against one period's first revisions.
CREATE INDEX work_reports_period_idx ON work_reports (period_year, period_no, org_id) WHERE revision = 1;

CREATE TABLE evaluations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          bigint NOT NULL REFERENCES organizations (id),
    district_code   text NOT NULL CHECK (length(district_code) = 6),
    town_code       text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code  text NOT NULL REFERENCES divisions (code)
                    CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    version         integer NOT NULL CHECK (version >= 1),
    -- dimension key → score 0–100; the dimensions are a list in the code, so a year's form may differ
    scores          jsonb NOT NULL CHECK (jsonb_typeof(scores) = 'object'),
    average         numeric(5, 2) NOT NULL CHECK (average BETWEEN 0 AND 100),
    computed_grade  text NOT NULL CHECK (computed_grade IN ('excellent', 'good', 'pass', 'fail')),
    -- the grade that counts: the computed one unless the committee overrode it, with a reason
    grade           text NOT NULL CHECK (grade IN ('excellent', 'good', 'pass', 'fail')),
    override_reason text NOT NULL DEFAULT '' CHECK (char_length(override_reason) <= 500),
    CHECK (grade = computed_grade OR override_reason <> ''),
    views           text NOT NULL DEFAULT '' CHECK (char_length(views) <= 2000),  -- 群众评议意见
    evaluated_by    bigint REFERENCES accounts (id),
    evaluated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, year, version)
);
CREATE INDEX evaluations_town_idx ON evaluations (town_code, org_id);
CREATE INDEX evaluations_community_idx ON evaluations (community_code, org_id);

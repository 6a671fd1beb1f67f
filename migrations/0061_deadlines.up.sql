-- Deadlines (期限, issue 17): the district sets how long a registration application or a 备案 may wait for a
-- decision (审查期限) and how long after a reporting period's end its 定期工作报告 are due (报送宽限). One row per
-- district; no row means the defaults in the code (registry.DefaultDeadlines).
CREATE TABLE deadline_settings (
    district_code     text PRIMARY KEY REFERENCES divisions (code) CHECK (length(district_code) = 6),
    review_days       integer NOT NULL CHECK (review_days BETWEEN 1 AND 180),
    report_grace_days integer NOT NULL CHECK (report_grace_days BETWEEN 0 AND 90),
    updated_by        bigint REFERENCES accounts (id),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1
);

-- A town's 工作台 lists its filings waiting for a decision, oldest first: a range over the few open rows.
CREATE INDEX filings_waiting_idx ON filings (town_code, submitted_at, id) WHERE status = 'submitted';
-- A committee's 工作台 lists its notices sent back, soonest event first.
CREATE INDEX major_activities_changes_idx ON major_activities (community_code, starts_at)
    WHERE status = 'changes_requested';

-- 重大活动报告: major-activity notices (DESIGN.md workflow 5, seed §(四)2). A 村(居)委会 reports a 节庆活动,
-- 文化演出, 体育竞赛 or 人员集会 to its 镇街 before it happens; the town acknowledges it (已确认) or asks for
-- changes with a reason (需修改), after which the committee edits and resubmits it (待确认 again). The committee
-- may withdraw a notice (已撤回) until the activity starts. Every state change is a row in
-- major_activity_events.
--
-- submitted 待确认 → acknowledged 已确认 | changes_requested 需修改 | withdrawn 已撤回
-- changes_requested 需修改 → submitted 待确认 (resubmitted) | withdrawn 已撤回
-- acknowledged 已确认 → withdrawn 已撤回 (before the start only)

CREATE TABLE major_activities (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the organizing group, when a group of the community organizes it; NULL when the committee itself does.
    -- The portal never deletes organizations; should a row ever be purged, the notice stands on its own, since
    -- organizer keeps the name as reported.
    org_id             bigint REFERENCES organizations (id) ON DELETE SET NULL,
    -- jurisdiction, copied from the reporting community (never from input): every scope test is an equality on
    -- an indexed column, as on organizations
    district_code      text NOT NULL CHECK (length(district_code) = 6),
    town_code          text NOT NULL REFERENCES divisions (code)
                       CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code     text NOT NULL REFERENCES divisions (code)
                       CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    kind               text NOT NULL CHECK (kind IN ('节庆活动', '文化演出', '体育竞赛', '人员集会')),
    title              text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL,
    CHECK (ends_at > starts_at),
    place              text NOT NULL CHECK (char_length(place) BETWEEN 1 AND 100),
    attendance         integer NOT NULL CHECK (attendance >= 1),       -- 预计参加人数
    organizer          text NOT NULL CHECK (char_length(organizer) BETWEEN 1 AND 80), -- 主办单位 as reported
    safety             text NOT NULL CHECK (char_length(safety) BETWEEN 1 AND 2000),  -- 安全措施
    contact_name       text NOT NULL CHECK (char_length(contact_name) BETWEEN 1 AND 30),
    -- the contact's phone is often a personal mobile: sealed like a 负责人 phone; the mask is what pages show
    contact_phone_enc  bytea NOT NULL,
    contact_phone_mask text NOT NULL,
    status             text NOT NULL DEFAULT 'submitted'
                       CHECK (status IN ('submitted', 'acknowledged', 'changes_requested', 'withdrawn')),
    -- why the state is what it is: the town's request while 需修改, the committee's (optional) when 已撤回
    reason             text NOT NULL DEFAULT '',
    CHECK (status <> 'changes_requested' OR reason <> ''),
    submitted_by       bigint REFERENCES accounts (id),
    submitted_at       timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- the town's latest decision (确认 or 要求修改); cleared when the committee resubmits
    decided_by         bigint REFERENCES accounts (id),
    decided_at         timestamptz,
    CHECK (status <> 'submitted' OR decided_at IS NULL),
    CHECK (status NOT IN ('acknowledged', 'changes_requested') OR decided_at IS NOT NULL),
    version            integer NOT NULL DEFAULT 1
);
-- The town's calendar, and the district's list by period.
CREATE INDEX major_activities_town_idx ON major_activities (town_code, starts_at);
CREATE INDEX major_activities_district_idx ON major_activities (district_code, starts_at);
CREATE INDEX major_activities_community_idx ON major_activities (community_code, id DESC);
-- What still waits for the town: its 待确认 table and the dashboard's count of urgent ones.
CREATE INDEX major_activities_waiting_idx ON major_activities (town_code, starts_at) WHERE status = 'submitted';
CREATE INDEX major_activities_org_idx ON major_activities (org_id) WHERE org_id IS NOT NULL;

-- Every state change of a notice: who, when, from which state to which, and why.
CREATE TABLE major_activity_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id    bigint NOT NULL REFERENCES major_activities (id),
    at             timestamptz NOT NULL DEFAULT now(),
    actor_id       bigint REFERENCES accounts (id),
    actor_name     text NOT NULL DEFAULT '',
    actor_division text NOT NULL DEFAULT '',
    from_status    text NOT NULL DEFAULT '',
    to_status      text NOT NULL
                   CHECK (to_status IN ('submitted', 'acknowledged', 'changes_requested', 'withdrawn')),
    reason         text NOT NULL DEFAULT ''
);
CREATE INDEX major_activity_events_activity_idx ON major_activity_events (activity_id, id);

-- 登记申请: registration applications, submitted by a 镇街 or a 村(居)委会 on a group's behalf and reviewed by the
-- district (DESIGN.md workflow 3), with one row per step in application_events.
--
-- submitted 待受理 → accepted 已受理 → correction 待补正 → (resubmitted) accepted 已受理 → approved 已准予 or
-- rejected 不予登记. A resubmission goes straight back to 已受理: the district accepted the application once already
-- and asked for named corrections, so it needs no second 受理.
--
-- An application is either for an existing guided or filed organization (org_id set from the start) or for a new
-- group (org_id set in the approving transaction, to the registered organization it created).

CREATE TABLE applications (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    new_group         boolean NOT NULL,
    org_id            bigint REFERENCES organizations (id),
    CHECK (new_group OR org_id IS NOT NULL),
    -- jurisdiction, as on organizations: every scope test is an equality on an indexed column
    district_code     text NOT NULL CHECK (length(district_code) = 6),
    town_code         text NOT NULL REFERENCES divisions (code)
                      CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code    text NOT NULL REFERENCES divisions (code)
                      CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    -- submitted 待受理, accepted 已受理, correction 待补正, approved 已准予, rejected 不予登记
    status            text NOT NULL DEFAULT 'submitted'
                      CHECK (status IN ('submitted', 'accepted', 'correction', 'approved', 'rejected')),
    CHECK (NOT new_group OR (status = 'approved') = (org_id IS NOT NULL)),
    legal_form        text NOT NULL CHECK (legal_form IN ('社会团体', '民办非企业单位', '基金会')),
    name              text NOT NULL CHECK (char_length(name) BETWEEN 4 AND 80),
    name_prefix       text NOT NULL DEFAULT '',
    name_community    text NOT NULL DEFAULT '',
    name_zihao        text NOT NULL DEFAULT '',
    name_field        text NOT NULL DEFAULT '',
    name_form         text NOT NULL DEFAULT '',
    fields            text[] NOT NULL DEFAULT '{}',   -- 服务领域
    nature            text NOT NULL CHECK (nature IN ('服务性', '公益性', '互助性')),
    leader_name       text NOT NULL,
    -- sealed exactly as on organizations (same key, same sealing context), never stored in the clear
    leader_phone_enc  bytea NOT NULL,
    leader_phone_mask text NOT NULL,
    leader_id_enc     bytea NOT NULL,
    leader_id_mask    text NOT NULL,
    venue             text NOT NULL,                  -- 活动场所
    members           integer NOT NULL CHECK (members >= 0),
    supervisor        text NOT NULL DEFAULT '',       -- 业务主管单位/指导单位
    statement         text NOT NULL DEFAULT '',       -- 申请说明
    correction        text NOT NULL DEFAULT '',       -- 补正内容: what the reviewer last asked to correct
    CHECK (status <> 'correction' OR correction <> ''),
    reject_reason     text NOT NULL DEFAULT '',       -- 不予登记理由
    CHECK ((status = 'rejected') = (reject_reason <> '')),
    uscc              text CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    CHECK ((status = 'approved') = (uscc IS NOT NULL)),
    submitted_by      bigint REFERENCES accounts (id),
    submitted_at      timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    decided_by        bigint REFERENCES accounts (id),
    decided_at        timestamptz,
    CHECK ((status IN ('approved', 'rejected')) = (decided_at IS NOT NULL)),
    version           integer NOT NULL DEFAULT 1
);
-- The district's queue (by state, oldest first) and each tier's own lists.
CREATE INDEX applications_queue_idx ON applications (district_code, status, submitted_at, id);
CREATE INDEX applications_town_idx ON applications (town_code, id DESC);
CREATE INDEX applications_community_idx ON applications (community_code, id DESC);
-- One open application per organization at a time.
CREATE UNIQUE INDEX applications_one_open_per_org ON applications (org_id)
    WHERE status IN ('submitted', 'accepted', 'correction');

-- Every step of an application: who, when, from which state to which, and why.
CREATE TABLE application_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id),
    at             timestamptz NOT NULL DEFAULT now(),
    actor_id       bigint REFERENCES accounts (id),
    actor_name     text NOT NULL DEFAULT '',
    actor_division text NOT NULL DEFAULT '',
    from_status    text NOT NULL DEFAULT '',
    to_status      text NOT NULL,
    reason         text NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app_idx ON application_events (application_id, id);

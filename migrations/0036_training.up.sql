-- 骨干人才培训 (action plan §三(二)1): a town's yearly training plan, the sessions held, the people trained and
-- who attended what. A person is one record per town across sessions, matched by 身份证号 where one is given:
-- the number is sealed with the portal's key like a leader's, masked for the pages, and found again through a
-- keyed digest (id_digest) that reveals nothing without the key.

CREATE TABLE training_plans (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code text NOT NULL CHECK (length(district_code) = 6),
    town_code     text NOT NULL REFERENCES divisions (code)
                  CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    year          integer NOT NULL CHECK (year BETWEEN 2021 AND 2200),
    -- sessions planned in each quarter
    q1            integer NOT NULL CHECK (q1 BETWEEN 0 AND 100),
    q2            integer NOT NULL CHECK (q2 BETWEEN 0 AND 100),
    q3            integer NOT NULL CHECK (q3 BETWEEN 0 AND 100),
    q4            integer NOT NULL CHECK (q4 BETWEEN 0 AND 100),
    audiences     text[] NOT NULL CHECK (cardinality(audiences) >= 1),  -- 培训对象
    topics        text[] NOT NULL CHECK (cardinality(topics) >= 1),     -- 培训内容
    note          text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    version       integer NOT NULL DEFAULT 1,
    updated_by    bigint REFERENCES accounts (id),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (town_code, year)
);

CREATE TABLE training_sessions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL REFERENCES divisions (code)
                   CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    title          text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    organizer_kind text NOT NULL CHECK (organizer_kind IN ('区民政局', '镇街', '支持平台')),
    organizer      text NOT NULL CHECK (char_length(organizer) BETWEEN 1 AND 100),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    CHECK (ends_at > starts_at),
    hours          numeric(4, 1) NOT NULL CHECK (hours >= 0.5 AND hours <= 12),
    mode           text NOT NULL CHECK (mode IN ('示范培训', '网上课堂', '新媒体教学', '其他')),
    topics         text[] NOT NULL CHECK (cardinality(topics) >= 1),
    -- where it was held: a support platform's room once the platforms module lands (kind 平台场地 with its
    -- reference), otherwise free text
    venue_kind     text NOT NULL DEFAULT '其他' CHECK (venue_kind IN ('平台场地', '其他')),
    venue          text NOT NULL DEFAULT '' CHECK (char_length(venue) <= 200),
    materials      text NOT NULL DEFAULT '' CHECK (char_length(materials) <= 2000),
    created_by     bigint REFERENCES accounts (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_sessions_town_idx ON training_sessions (town_code, starts_at DESC);

CREATE TABLE trainees (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL REFERENCES divisions (code)
                   CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
    id_enc         bytea,
    id_mask        text NOT NULL DEFAULT '',
    id_digest      bytea, -- HMAC of the 身份证号 under the portal's key: the match across sessions
    phone_enc      bytea,
    phone_mask     text NOT NULL DEFAULT '',
    role           text NOT NULL CHECK (role IN ('城乡社区工作者', '儿童主任', '社区社会组织负责人', '社区社会工作者', '社区志愿者')),
    -- the group the person leads or serves in, a group of the same town
    org_id         bigint REFERENCES organizations (id),
    cert_level     text NOT NULL DEFAULT '' CHECK (cert_level IN ('', '助理社会工作师', '社会工作师', '高级社会工作师')),
    cert_year      integer CHECK (cert_year BETWEEN 2008 AND 2200),
    CHECK ((cert_level = '') = (cert_year IS NULL)),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (town_code, id_digest)
);
CREATE INDEX trainees_org_idx ON trainees (org_id) WHERE org_id IS NOT NULL;

CREATE TABLE training_attendance (
    session_id bigint NOT NULL REFERENCES training_sessions (id),
    trainee_id bigint NOT NULL REFERENCES trainees (id),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, trainee_id)
);
CREATE INDEX training_attendance_trainee_idx ON training_attendance (trainee_id);

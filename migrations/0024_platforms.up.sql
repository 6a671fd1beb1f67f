-- Support platforms (支持平台, seed §三(一)2), their rooms and the bookings of those rooms, and one timeline for
-- everything the cultivation module changes.

-- btree_gist lets one exclusion constraint say "same room AND overlapping time" (Debian's postgresql-15 ships it).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE platforms (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the division that keeps it: the district, a town, or (a 社会工作室) a community; jurisdiction is a prefix
    -- test on this code
    division_code  text NOT NULL REFERENCES divisions (code),
    kind           text NOT NULL CHECK (kind IN ('孵化基地', '社区社会组织联合会', '社会工作室',
                                                 '社会工作创新创业基地', '城乡社区综合服务设施')),
    -- a 社会工作室 belongs to a community, and a community keeps nothing else
    CHECK ((kind = '社会工作室') = (length(division_code) = 12)),
    name           text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 80),
    address        text NOT NULL DEFAULT '',
    hours          text NOT NULL DEFAULT '',        -- 开放时间
    services       text[] NOT NULL DEFAULT '{}'
                   CHECK (services <@ ARRAY['党建引领', '培育孵化', '资金代管', '人员培训', '场地支持']),
    staff_count    integer NOT NULL DEFAULT 0 CHECK (staff_count >= 0),
    contact_name   text NOT NULL DEFAULT '',        -- 联系人 of the platform's staff
    -- 运营方式: run by the government itself, or entrusted (委托运营) to a 枢纽型社会组织 / 社会工作服务机构
    run_by         text NOT NULL DEFAULT 'government' CHECK (run_by IN ('government', 'entrusted')),
    operator_name  text NOT NULL DEFAULT '',
    operator_kind  text NOT NULL DEFAULT '' CHECK (operator_kind IN ('', '枢纽型社会组织', '社会工作服务机构')),
    contract_from  date,
    contract_to    date,
    contract_no    text NOT NULL DEFAULT '',        -- the entrustment agreement's number
    CHECK (run_by = 'government'
           OR (operator_name <> '' AND operator_kind <> '' AND contract_from IS NOT NULL
               AND contract_to IS NOT NULL AND contract_to >= contract_from)),
    demo           boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        integer NOT NULL DEFAULT 1,
    UNIQUE (division_code, name)
);
CREATE INDEX platforms_division_idx ON platforms (division_code text_pattern_ops, id);

CREATE TABLE rooms (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id  bigint NOT NULL REFERENCES platforms (id),
    name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
    capacity     integer NOT NULL CHECK (capacity > 0),
    equipment    text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rooms_platform_name_key UNIQUE (platform_id, name)
);

-- A booking of a room for a group's activity. Two live bookings of one room never overlap: the exclusion
-- constraint makes that true however many clerks book at once.
CREATE TABLE bookings (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id         bigint NOT NULL REFERENCES rooms (id),
    org_id          bigint NOT NULL REFERENCES organizations (id),
    title           text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 60),
    during          tstzrange NOT NULL CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
    booked_by       bigint REFERENCES accounts (id),
    booked_name     text NOT NULL DEFAULT '',
    booked_division text NOT NULL,
    booked_at       timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    cancel_reason   text NOT NULL DEFAULT '',
    cancelled_at    timestamptz,
    CHECK (status = 'booked' OR (cancel_reason <> '' AND cancelled_at IS NOT NULL)),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (status = 'booked')
);
CREATE INDEX bookings_org_idx ON bookings (org_id, id);

-- The timeline of platforms, contracts, rounds and funds: every change is a row (who, when, what, why). Changes
-- that concern a group also write a row on the group's own timeline (org_events).
CREATE TABLE cultivation_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_type    text NOT NULL,   -- platform, contract, round, fund
    object_id      bigint NOT NULL,
    division_code  text NOT NULL,   -- the object's keeping division, for scope
    at             timestamptz NOT NULL DEFAULT now(),
    actor_id       bigint REFERENCES accounts (id),
    actor_name     text NOT NULL DEFAULT '',
    actor_division text NOT NULL DEFAULT '',
    kind           text NOT NULL,   -- created, updated, room_added, booked, booking_cancelled, housed …
    detail         text NOT NULL DEFAULT ''
);
CREATE INDEX cultivation_events_object_idx ON cultivation_events (object_type, object_id, id);

-- 安家 (a group given a home at a platform) and incubation at a 孵化基地 (seed §三(一)2).

CREATE TABLE housings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id   bigint NOT NULL REFERENCES platforms (id),
    room_id       bigint REFERENCES rooms (id),
    org_id        bigint NOT NULL REFERENCES organizations (id),
    from_on       date NOT NULL,
    to_on         date NOT NULL,
    CHECK (to_on >= from_on),
    agreement     text NOT NULL DEFAULT '',       -- 安家协议 number or title
    created_by    bigint REFERENCES accounts (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- a group has one home at a time
    CONSTRAINT housings_one_home EXCLUDE USING gist (org_id WITH =, daterange(from_on, to_on, '[]') WITH &&)
);
CREATE INDEX housings_platform_idx ON housings (platform_id, from_on DESC);

CREATE TABLE incubations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id   bigint NOT NULL REFERENCES platforms (id),
    org_id        bigint NOT NULL REFERENCES organizations (id),
    entered_on    date NOT NULL,
    mentor        text NOT NULL CHECK (char_length(mentor) BETWEEN 2 AND 40),
    goals         text NOT NULL CHECK (char_length(goals) BETWEEN 2 AND 500),
    -- incubating 在孵, hatched 出壳, withdrawn 退出
    status        text NOT NULL DEFAULT 'incubating' CHECK (status IN ('incubating', 'hatched', 'withdrawn')),
    left_on       date,
    tier_reached  text NOT NULL DEFAULT '' CHECK (tier_reached IN ('', 'filed', 'registered')),
    reason        text NOT NULL DEFAULT '',
    CHECK (status = 'incubating' OR (left_on IS NOT NULL AND left_on >= entered_on)),
    CHECK ((status = 'hatched') = (tier_reached <> '')),
    CHECK (status <> 'withdrawn' OR reason <> ''),
    created_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1
);
-- a group is incubated at one base at a time
CREATE UNIQUE INDEX incubations_one_open ON incubations (org_id) WHERE status = 'incubating';
CREATE INDEX incubations_platform_idx ON incubations (platform_id, entered_on DESC);

CREATE TABLE incubation_milestones (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incubation_id  bigint NOT NULL REFERENCES incubations (id),
    on_date        date NOT NULL,
    note           text NOT NULL CHECK (char_length(note) BETWEEN 2 AND 200),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incubation_milestones_idx ON incubation_milestones (incubation_id, on_date);

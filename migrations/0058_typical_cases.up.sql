-- 典型案例 (seed §四(三) 典型引领): a town, or the district, writes up a group of its jurisdiction as an example —
-- a title, the story, photos and the 主题系列 — and submits it; the district publishes it (已发布), returns it
-- with a reason (已退回), after which the writer edits and resubmits it, or takes a published case down again
-- (已撤下). Only published cases are public. Every state change is a row in typical_case_events.
--
-- submitted 待审核 → published 已发布 | returned 已退回
-- returned 已退回 → submitted 待审核 (resubmitted)
-- published 已发布 → withdrawn 已撤下

CREATE TABLE typical_cases (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    -- jurisdiction, copied from the group (never from input), so that the scope test is an equality on an
    -- indexed column as on organizations
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL REFERENCES divisions (code)
                   CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code text NOT NULL REFERENCES divisions (code)
                   CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    -- the division that wrote it: a town's code, or the district's
    author_code    text NOT NULL REFERENCES divisions (code),
    title          text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
    series         text NOT NULL CHECK (series IN ('邻里守望', '共建共治共享', '共创平安', '文化铸魂', '其他')),
    story          text NOT NULL CHECK (char_length(story) BETWEEN 20 AND 5000),
    status         text NOT NULL DEFAULT 'submitted'
                   CHECK (status IN ('submitted', 'published', 'returned', 'withdrawn')),
    -- the district's reason while 已退回 or 已撤下
    reason         text NOT NULL DEFAULT '',
    CHECK (status NOT IN ('returned', 'withdrawn') OR reason <> ''),
    submitted_by   bigint REFERENCES accounts (id),
    submitted_at   timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    decided_by     bigint REFERENCES accounts (id),
    decided_at     timestamptz,
    -- when it was (last) published: the public list's order
    published_at   timestamptz,
    CHECK (status <> 'published' OR published_at IS NOT NULL),
    version        integer NOT NULL DEFAULT 1
);
CREATE INDEX typical_cases_town_idx ON typical_cases (town_code, id DESC);
CREATE INDEX typical_cases_district_idx ON typical_cases (district_code, id DESC);
-- The public list, newest published first, and a group's published cases on its profile.
CREATE INDEX typical_cases_published_idx ON typical_cases (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX typical_cases_org_idx ON typical_cases (org_id, published_at DESC) WHERE status = 'published';

-- Photos of a case: the bytes live in files under random names (internal/photos, metadata stripped); a
-- resubmission adds photos to the case's own.
CREATE TABLE typical_case_photos (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES typical_cases (id),
    position     integer NOT NULL CHECK (position BETWEEN 1 AND 6),
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    width        integer NOT NULL CHECK (width > 0),
    height       integer NOT NULL CHECK (height > 0),
    storage_key  text NOT NULL CHECK (storage_key ~ '^[0-9a-f]{32}$'),
    thumb_key    text NOT NULL CHECK (thumb_key ~ '^[0-9a-f]{32}$'),
    thumb_type   text NOT NULL DEFAULT 'image/jpeg' CHECK (thumb_type IN ('image/jpeg', 'image/png')),
    sha256       text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    uploaded_by  bigint REFERENCES accounts (id),
    UNIQUE (case_id, position)
);

-- Every state change of a case: who, when, from which state to which, and why.
CREATE TABLE typical_case_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id        bigint NOT NULL REFERENCES typical_cases (id),
    at             timestamptz NOT NULL DEFAULT now(),
    actor_id       bigint REFERENCES accounts (id),
    actor_name     text NOT NULL DEFAULT '',
    actor_division text NOT NULL DEFAULT '',
    from_status    text NOT NULL DEFAULT '',
    to_status      text NOT NULL CHECK (to_status IN ('submitted', 'published', 'returned', 'withdrawn')),
    reason         text NOT NULL DEFAULT ''
);
CREATE INDEX typical_case_events_case_idx ON typical_case_events (case_id, id);

-- 活动报告: activity reports that a 村(居)委会 files for a group of its community (DESIGN.md workflow 4), and
-- their photos.
--
-- Corrections keep their history: a report is a chain of revisions sharing report_no. A correction marks the
-- current revision superseded (superseded_at), inserts the next revision and points the old one at it
-- (superseded_by); the old row is never changed otherwise. Lists read the current revisions only
-- (superseded_at IS NULL), which is the predicate of every list index below. superseded_at rather than
-- superseded_by marks the current revision because it is set before the new row exists, so that the unique
-- index below holds at every statement of the correcting transaction.

CREATE SEQUENCE activity_report_no_seq;

CREATE TABLE activity_reports (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_no           bigint NOT NULL,                -- the report; shared by all its revisions
    revision            integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    superseded_by       bigint REFERENCES activity_reports (id),
    superseded_at       timestamptz,
    CHECK (superseded_by IS NULL OR superseded_at IS NOT NULL),
    correction_reason   text NOT NULL DEFAULT '',       -- 更正说明, required from the second revision on
    CHECK (revision = 1 OR correction_reason <> ''),
    org_id              bigint NOT NULL REFERENCES organizations (id),
    -- jurisdiction, copied from the organization in the inserting statement (never from input), so that every
    -- scope test is an equality on an indexed column
    district_code       text NOT NULL CHECK (length(district_code) = 6),
    town_code           text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code      text NOT NULL REFERENCES divisions (code)
                        CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    activity_date       date NOT NULL,
    title               text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
    place               text NOT NULL CHECK (char_length(place) BETWEEN 1 AND 100),
    -- 主题系列 (seed §(三))
    series              text NOT NULL CHECK (series IN ('邻里守望', '共建共治共享', '共创平安', '文化铸魂', '其他')),
    -- 活动类别
    category            text NOT NULL CHECK (category IN ('志愿服务', '协商议事', '矛盾调解', '文体活动', '培训讲座',
                                                          '走访慰问', '环境整治', '其他')),
    participants        integer NOT NULL CHECK (participants BETWEEN 0 AND 1000000),
    volunteers          integer NOT NULL CHECK (volunteers BETWEEN 0 AND 1000000),
    volunteer_hours     numeric(8, 1) NOT NULL CHECK (volunteer_hours >= 0),
    -- 服务对象 group → people served, e.g. {"空巢老人": 12, "困境儿童": 3}; the total is kept for statistics
    beneficiaries       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(beneficiaries) = 'object'),
    beneficiaries_total integer NOT NULL CHECK (beneficiaries_total >= 0),
    description         text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    submitted_by        bigint REFERENCES accounts (id),
    submitted_by_name   text NOT NULL DEFAULT '',
    submitted_at        timestamptz NOT NULL DEFAULT now(),
    demo                boolean NOT NULL DEFAULT false,
    version             integer NOT NULL DEFAULT 1,     -- bumped when the revision is superseded
    UNIQUE (report_no, revision)
);
-- One current revision per report: two corrections of one revision cannot both win.
CREATE UNIQUE INDEX activity_reports_current_key ON activity_reports (report_no) WHERE superseded_at IS NULL;
-- Keyset pages on (activity_date, id), newest first, for each jurisdiction and for a group's history. At
-- 10 M reports a town holds ~330 k current rows; a page at any depth is one index range scan of 51 entries.
CREATE INDEX activity_reports_town_idx ON activity_reports (town_code, activity_date DESC, id DESC)
    WHERE superseded_at IS NULL;
CREATE INDEX activity_reports_community_idx ON activity_reports (community_code, activity_date DESC, id DESC)
    WHERE superseded_at IS NULL;
CREATE INDEX activity_reports_district_idx ON activity_reports (district_code, activity_date DESC, id DESC)
    WHERE superseded_at IS NULL;
CREATE INDEX activity_reports_org_idx ON activity_reports (org_id, activity_date DESC, id DESC)
    WHERE superseded_at IS NULL;

-- Photos of a revision. The bytes live in files under random names outside any served folder; a correction that
-- keeps a photo gives the new revision its own row naming the same files, so old revisions keep theirs.
CREATE TABLE report_photos (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id    bigint NOT NULL REFERENCES activity_reports (id),
    position     integer NOT NULL CHECK (position BETWEEN 1 AND 6),
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')), -- detected from the content
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    width        integer NOT NULL CHECK (width > 0),
    height       integer NOT NULL CHECK (height > 0),
    storage_key  text NOT NULL CHECK (storage_key ~ '^[0-9a-f]{32}$'),
    thumb_key    text NOT NULL CHECK (thumb_key ~ '^[0-9a-f]{32}$'),
    thumb_type   text NOT NULL DEFAULT 'image/jpeg' CHECK (thumb_type IN ('image/jpeg', 'image/png')),
    sha256       text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    uploaded_by  bigint REFERENCES accounts (id),
    UNIQUE (report_id, position)
);

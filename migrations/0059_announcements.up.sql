-- 通知公告 and 政策文件 (issue 14): the district publishes notices and policy documents for the whole district; a
-- town publishes for its own town. They are public from publication until the publisher withdraws them (已撤回),
-- with a reason; attachments are files of the upload store (internal/uploads: PDF, JPEG or PNG, checked by
-- content, served only as attachments).

CREATE TABLE announcements (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('notice', 'policy')), -- 通知公告 | 政策文件
    district_code text NOT NULL CHECK (length(district_code) = 6),
    -- the town it is for, NULL when it is for the whole district
    town_code     text REFERENCES divisions (code) CHECK (town_code IS NULL OR (length(town_code) = 9
                  AND starts_with(town_code, district_code))),
    -- who published it: the district's code or the town's, never from input
    author_code   text NOT NULL REFERENCES divisions (code),
    CHECK (author_code = coalesce(town_code, district_code)),
    title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    doc_no        text NOT NULL DEFAULT '' CHECK (char_length(doc_no) <= 60), -- 文号, e.g. 渝北民发〔2021〕号
    body          text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 100000),
    status        text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'withdrawn')),
    reason        text NOT NULL DEFAULT '',
    CHECK (status <> 'withdrawn' OR reason <> ''),
    published_at  timestamptz NOT NULL DEFAULT now(),
    published_by  bigint REFERENCES accounts (id),
    withdrawn_at  timestamptz,
    withdrawn_by  bigint REFERENCES accounts (id),
    CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
    version       integer NOT NULL DEFAULT 1
);
-- The public lists, newest first, and the signed-in lists by jurisdiction.
CREATE INDEX announcements_public_idx ON announcements (kind, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX announcements_town_idx ON announcements (town_code, id DESC);
CREATE INDEX announcements_district_idx ON announcements (district_code, id DESC);

CREATE TABLE announcement_files (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    announcement_id bigint NOT NULL REFERENCES announcements (id),
    position        integer NOT NULL CHECK (position BETWEEN 1 AND 5),
    filename        text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 120),
    content_type    text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes      bigint NOT NULL CHECK (size_bytes > 0),
    storage_key     text NOT NULL CHECK (storage_key ~ '^[0-9a-f]{32}$'),
    sha256          text NOT NULL,
    uploaded_at     timestamptz NOT NULL DEFAULT now(),
    uploaded_by     bigint REFERENCES accounts (id),
    UNIQUE (announcement_id, position)
);

-- Corrections (更正) of what the public already reads: a published 通知公告 / 政策文件 and a published 典型案例.
-- The publisher of an announcement, or the district for a case, corrects the text; the text it replaced is kept,
-- one row per correction, with the corrector and a note (更正说明). Staff see every earlier version; the public
-- page says 更新于 with the date of the last correction. Earlier versions are never changed or removed.

ALTER TABLE announcements ADD COLUMN corrected_at timestamptz;
ALTER TABLE typical_cases ADD COLUMN corrected_at timestamptz;

CREATE TABLE announcement_revisions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    announcement_id bigint NOT NULL REFERENCES announcements (id),
    -- the version of the announcement this text was, before the correction replaced it
    version         integer NOT NULL,
    title           text NOT NULL,
    doc_no          text NOT NULL,
    body            text NOT NULL,
    replaced_at     timestamptz NOT NULL DEFAULT now(),
    replaced_by     bigint REFERENCES accounts (id),
    replaced_by_name text NOT NULL DEFAULT '',
    note            text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 200),
    UNIQUE (announcement_id, version)
);

CREATE TABLE typical_case_revisions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id          bigint NOT NULL REFERENCES typical_cases (id),
    version          integer NOT NULL,
    title            text NOT NULL,
    series           text NOT NULL,
    story            text NOT NULL,
    replaced_at      timestamptz NOT NULL DEFAULT now(),
    replaced_by      bigint REFERENCES accounts (id),
    replaced_by_name text NOT NULL DEFAULT '',
    note             text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 200),
    UNIQUE (case_id, version)
);

-- What was published stays as it was: an earlier version is never updated or deleted.
CREATE FUNCTION revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% keeps earlier versions: rows are never changed or removed', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER announcement_revisions_append_only BEFORE UPDATE OR DELETE ON announcement_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION revisions_append_only();
CREATE TRIGGER typical_case_revisions_append_only BEFORE UPDATE OR DELETE ON typical_case_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION revisions_append_only();

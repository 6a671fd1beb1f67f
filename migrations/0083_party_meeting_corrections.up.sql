-- 三会一课 corrected (issue 17): a meeting recorded wrongly is corrected, never overwritten without trace. The
-- row holds the current version; each correction first copies the version it replaces here, with who replaced
-- it, when and why.
ALTER TABLE party_meetings ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE party_meeting_revisions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  bigint NOT NULL REFERENCES party_meetings (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    kind        text NOT NULL,
    held_on     date NOT NULL,
    topic       text NOT NULL,
    attendance  integer NOT NULL,
    recorded_by bigint REFERENCES accounts (id),
    recorded_at timestamptz NOT NULL,
    replaced_by bigint REFERENCES accounts (id),
    replaced_at timestamptz NOT NULL DEFAULT now(),
    reason      text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 200),
    UNIQUE (meeting_id, version)
);

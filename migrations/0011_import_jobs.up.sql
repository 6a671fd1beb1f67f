-- 台账 checks and imports, run in the background by the portal process that received the upload or the
-- confirmation. The job's page may be served by any process sharing this database, so everything it shows is
-- here: the state, rows done of rows total (written every few thousand rows), and a heartbeat the working
-- process renews every few seconds. A job still 'checking' or 'importing' whose heartbeat is older than half a
-- minute lost its process and shows as 中断; that state is read from the heartbeat, never stored, because a dead
-- process cannot write it. A job is its account's alone (account, tier and division, like org_imports).
CREATE TABLE import_jobs (
    id            text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tier          text NOT NULL CHECK (tier IN ('town', 'community')),
    division_code text NOT NULL REFERENCES divisions (code),
    filename      text NOT NULL CHECK (length(filename) <= 200),
    state         text NOT NULL DEFAULT 'checking'
                  CHECK (state IN ('checking', 'rejected', 'ready', 'importing', 'done', 'failed')),
    rows_done     integer NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    rows_total    integer NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    imported      integer NOT NULL DEFAULT 0 CHECK (imported >= 0),
    -- Why a job failed, in words for the clerk; never personal data.
    message       text NOT NULL DEFAULT '',
    -- What the check found (the bad cells, or a preview of the good rows): JSON sealed with the data key, since
    -- a cell may hold a name, a phone or an ID number.
    result        bytea,
    -- The checked rows waiting for the confirmation; gone when they expire or are imported.
    kept_token    text REFERENCES org_imports (token) ON DELETE SET NULL,
    started_at    timestamptz, -- NULL while the job waits for one of its process's workers
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '1 day',
    CHECK (state NOT IN ('rejected', 'ready') OR result IS NOT NULL)
);
CREATE INDEX import_jobs_expires_idx ON import_jobs (expires_at);
CREATE INDEX import_jobs_kept_token_idx ON import_jobs (kept_token);

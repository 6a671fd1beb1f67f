-- 台账 imports waiting for the clerk's confirmation. The check and the import are two requests, possibly served
-- by two portal processes, so the checked rows wait here rather than in memory: gzipped JSON sealed with the
-- data key (负责人 phones and 身份证号 are never stored in the clear), bound to the account and division that
-- checked them, and gone after an hour or once imported.
CREATE TABLE org_imports (
    token         text PRIMARY KEY CHECK (token ~ '^[0-9a-f]{64}$'),
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tier          text NOT NULL CHECK (tier IN ('town', 'community')),
    division_code text NOT NULL REFERENCES divisions (code),
    row_count     integer NOT NULL CHECK (row_count BETWEEN 1 AND 100000),
    payload       bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '1 hour'
);
CREATE INDEX org_imports_expires_idx ON org_imports (expires_at);

-- The foundation: divisions, accounts, sessions and the audit log.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- 区划: 渝北区 (6-digit code) → 街道/镇 (9) → 社区/村 (12). Codes nest by prefix, which is how jurisdiction is
-- tested everywhere (and how Citus would distribute by division).
CREATE TABLE divisions (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 2 AND 40),
    level       text NOT NULL CHECK (level IN ('district', 'town', 'community')),
    parent_code text REFERENCES divisions (code),
    kind        text NOT NULL CHECK (kind IN ('区', '县', '街道', '镇', '乡', '社区', '村')),
    rural       boolean NOT NULL DEFAULT false,
    managed_by  text NOT NULL DEFAULT '',
    demo        boolean NOT NULL DEFAULT false,
    CHECK ((level = 'district') = (parent_code IS NULL)),
    CHECK (parent_code IS NULL OR starts_with(code, parent_code)),
    CHECK (length(code) = CASE level WHEN 'district' THEN 6 WHEN 'town' THEN 9 ELSE 12 END),
    UNIQUE (parent_code, name)
);
CREATE INDEX divisions_parent_idx ON divisions (parent_code, code);

CREATE TABLE accounts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username         text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
    display_name     text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 40),
    tier             text NOT NULL CHECK (tier IN ('district', 'town', 'community')),
    division_code    text NOT NULL REFERENCES divisions (code),
    phone            text NOT NULL DEFAULT '',
    password_hash    text NOT NULL,
    disabled         boolean NOT NULL DEFAULT false,
    failed_logins    integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    session_version  integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       bigint REFERENCES accounts (id),
    last_login_at    timestamptz,
    version          integer NOT NULL DEFAULT 1,
    CHECK (length(division_code) = CASE tier WHEN 'district' THEN 6 WHEN 'town' THEN 9 ELSE 12 END)
);
CREATE UNIQUE INDEX accounts_username_key ON accounts (username);
CREATE INDEX accounts_division_idx ON accounts (division_code text_pattern_ops, id);

-- scs sessions (pgxstore's table).
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- 审计日志 (SECURITY.md 19–20): append-only for the application.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_id        bigint,
    actor_username  text NOT NULL DEFAULT '',
    actor_tier      text NOT NULL DEFAULT '',
    actor_division  text NOT NULL DEFAULT '',
    ip              text NOT NULL DEFAULT '',
    action          text NOT NULL,
    object_type     text NOT NULL DEFAULT '',
    object_id       text NOT NULL DEFAULT '',
    result          text NOT NULL CHECK (result IN ('ok', 'failed', 'denied')),
    detail          text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_username, at DESC);
CREATE INDEX audit_log_division_idx ON audit_log (actor_division text_pattern_ops, at DESC);

-- Rows cannot be changed, and can be removed only by the retention purge once older than the 180-day minimum.
CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log rows are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log cannot be truncated' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();

-- Facts about this database: whether demo data was loaded, and when.
CREATE TABLE portal_facts (
    key   text PRIMARY KEY,
    value text NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);

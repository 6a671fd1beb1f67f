-- Two roles (SECURITY.md 19). The role that runs the migrations owns every table; the portal serves as a member
-- of portal_serving, which owns nothing: it reads and writes the registry, but may only add to and read the
-- audit log, and, not owning audit_log, cannot disable its triggers, alter, truncate or drop it.
-- Roles belong to the whole PostgreSQL server: the group role is made here when missing (the migrating role
-- needs CREATEROLE for that; otherwise an administrator makes it first, see README "Deployment").
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_serving') THEN
        CREATE ROLE portal_serving NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO portal_serving;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portal_serving;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO portal_serving;
-- Tables and sequences later migrations make get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portal_serving;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO portal_serving;

-- The audit log: add and read, nothing else. Its triggers stay as a second wall.
REVOKE ALL ON audit_log FROM portal_serving;
GRANT SELECT, INSERT ON audit_log TO portal_serving;
-- The migrations' own bookkeeping is the owner's.
REVOKE ALL ON schema_migrations FROM portal_serving;

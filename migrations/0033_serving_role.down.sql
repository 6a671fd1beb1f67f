ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM portal_serving;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM portal_serving;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM portal_serving;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM portal_serving;
REVOKE USAGE ON SCHEMA public FROM portal_serving;
-- The role itself may serve other databases on this server; it stays.

-- The two roles of a deployment (README "Deployment"), for the postgres image's first start: the image's
-- POSTGRES_USER owns the tables and runs the migrations; the portal serves as portal_web, a member of
-- portal_serving (migration 0033 grants that group what serving needs, and on audit_log only INSERT and SELECT).
CREATE ROLE portal_serving NOLOGIN;
CREATE ROLE portal_web LOGIN PASSWORD 'portal_web' IN ROLE portal_serving;

DROP TABLE portal_facts;
DROP TABLE audit_log;
DROP FUNCTION audit_log_no_truncate();
DROP FUNCTION audit_log_guard();
DROP TABLE sessions;
DROP TABLE accounts;
DROP TABLE divisions;

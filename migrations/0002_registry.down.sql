DROP TABLE org_documents;
DROP TABLE org_events;
DROP TABLE organizations;
DROP FUNCTION cso_bigrams(text);

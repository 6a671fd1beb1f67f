DROP TABLE org_contacts;

DROP TABLE org_imports;

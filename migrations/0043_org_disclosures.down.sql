DROP TABLE org_disclosure_lines;
DROP TABLE org_disclosures;
DROP SEQUENCE org_disclosure_no_seq;

DROP TRIGGER org_trigram_postings_truncate ON organizations;
DROP FUNCTION org_trigram_postings_truncate();
DROP TRIGGER org_trigram_postings_delete ON organizations;
DROP TRIGGER org_trigram_postings_update ON organizations;
DROP TRIGGER org_trigram_postings_insert ON organizations;
DROP FUNCTION org_trigram_postings_apply();
DROP TABLE org_trigram_postings;
DROP FUNCTION org_trigram_keys(text, text[]);
DROP FUNCTION cso_trigrams(text);

DROP TRIGGER org_trigram_counts_truncate ON org_trigram_postings;
DROP TRIGGER org_trigram_counts_delete ON org_trigram_postings;
DROP TRIGGER org_trigram_counts_insert ON org_trigram_postings;
DROP FUNCTION org_trigram_counts_truncate();
DROP FUNCTION org_trigram_counts_remove();
DROP FUNCTION org_trigram_counts_add();
DROP TABLE org_trigram_counts;

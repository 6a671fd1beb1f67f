DROP TABLE venture_scores;
DROP TABLE venture_applications;
DROP FUNCTION venture_awards_apply();
DROP TABLE venture_criteria;
DROP TABLE venture_rounds;

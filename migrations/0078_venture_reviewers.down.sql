DROP TABLE venture_reviewers;

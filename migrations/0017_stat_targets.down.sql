DROP TABLE stat_targets;

DROP TABLE stat_pilots;

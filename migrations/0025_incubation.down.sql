DROP TABLE incubation_milestones;
DROP TABLE incubations;
DROP TABLE housings;

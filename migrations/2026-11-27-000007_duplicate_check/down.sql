DROP TABLE duplicate_finding;

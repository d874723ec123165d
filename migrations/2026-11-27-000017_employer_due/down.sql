DROP TABLE employer_due;

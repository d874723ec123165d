-- Back to one amount per version (class 1's; tenants sync writes it again from the files).
ALTER TABLE benefit_rule ADD COLUMN min_wage_fen bigint NOT NULL DEFAULT 200000 CHECK (min_wage_fen > 0);
ALTER TABLE benefit_rule ALTER COLUMN min_wage_fen DROP DEFAULT;
ALTER TABLE benefit_rule DROP COLUMN default_wage_class;
DROP TABLE benefit_county_class;
DROP TABLE benefit_min_wage;

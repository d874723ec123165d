-- The minimum wage of the person's county (REFERENCE §7): Henan publishes effective-dated amounts
-- for three area classes and assigns every county to a class. Both are part of a version of the
-- benefit parameters (benefit_rule), written by `jinbao tenants sync` like the yearly figures.

-- The amounts of the three classes, each from a month (YYYY-MM-01).
CREATE TABLE benefit_min_wage (
    tenant_id       smallint NOT NULL,
    rule_id         bigint NOT NULL,
    effective_from  date NOT NULL CHECK (extract(day FROM effective_from) = 1),
    class           smallint NOT NULL CHECK (class BETWEEN 1 AND 3),
    amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
    PRIMARY KEY (tenant_id, rule_id, effective_from, class),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES benefit_rule (tenant_id, id)
);

-- The class of each county-level division (GB/T 2260 code, current and former) of the tenant.
CREATE TABLE benefit_county_class (
    tenant_id       smallint NOT NULL,
    rule_id         bigint NOT NULL,
    county_code     text NOT NULL CHECK (county_code ~ '^[0-9]{6}$'),
    class           smallint NOT NULL CHECK (class BETWEEN 1 AND 3),
    PRIMARY KEY (tenant_id, rule_id, county_code),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES benefit_rule (tenant_id, id)
);

SELECT enable_tenant_rls(t) FROM unnest(ARRAY['benefit_min_wage', 'benefit_county_class']::regclass[]) AS t;
GRANT SELECT ON benefit_min_wage, benefit_county_class TO jinbao_app;

-- One province-wide amount no longer exists: the class of a person with no listed county.
ALTER TABLE benefit_rule ADD COLUMN default_wage_class smallint NOT NULL DEFAULT 1 CHECK (default_wage_class BETWEEN 1 AND 3);
ALTER TABLE benefit_rule ALTER COLUMN default_wage_class DROP DEFAULT;
ALTER TABLE benefit_rule DROP COLUMN min_wage_fen;

-- Legacy employer import: the same staging, validation and report as persons.

CREATE TABLE import_employer_stage (
    tenant_id      smallint NOT NULL REFERENCES tenant (id),
    job_id         bigint NOT NULL,
    row_no         integer NOT NULL,
    credit_code    text,
    name           text,
    industry_code  text,
    risk_class     smallint,
    registered_on  date,
    address        text,
    contact_name   text,
    contact_phone  text,
    error_column   text,
    error_code     text,
    raw_value      text,
    outcome        text CHECK (outcome IN ('present')),
    PRIMARY KEY (tenant_id, job_id, row_no),
    FOREIGN KEY (tenant_id, job_id) REFERENCES job (tenant_id, id)
);
CREATE INDEX import_employer_stage_code ON import_employer_stage (tenant_id, job_id, credit_code);

SELECT enable_tenant_rls('import_employer_stage'::regclass);
GRANT SELECT, INSERT, UPDATE, DELETE ON import_employer_stage TO jinbao_app;

-- Employers registered by an import have no registering user (the import job is the record).
ALTER TABLE employer ALTER COLUMN created_by DROP NOT NULL;

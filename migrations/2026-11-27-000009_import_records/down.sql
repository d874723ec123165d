DROP TABLE contribution_history;
ALTER TABLE person ADD CONSTRAINT person_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenant (id);
UPDATE enrolment SET created_by = (SELECT min(id) FROM app_user u WHERE u.tenant_id = enrolment.tenant_id) WHERE created_by IS NULL;
UPDATE employment SET created_by = (SELECT min(id) FROM app_user u WHERE u.tenant_id = employment.tenant_id) WHERE created_by IS NULL;
ALTER TABLE enrolment DROP COLUMN import_job_id, ALTER COLUMN created_by SET NOT NULL;
ALTER TABLE employment DROP COLUMN import_job_id, ALTER COLUMN created_by SET NOT NULL;
ALTER TABLE employer DROP COLUMN import_job_id;
ALTER TABLE person DROP COLUMN import_job_id;
DROP TABLE import_problem;

CREATE TABLE import_person_stage (
    tenant_id     smallint NOT NULL REFERENCES tenant (id),
    job_id        bigint NOT NULL,
    row_no        integer NOT NULL,
    id_number     text,
    name          text,
    hukou_kind    text,
    phone         text,
    address       text,
    gender        text,
    birth_date    date,
    error_column  text,
    error_code    text,
    raw_value     text,
    outcome       text CHECK (outcome IN ('inserted', 'present')),
    PRIMARY KEY (tenant_id, job_id, row_no),
    FOREIGN KEY (tenant_id, job_id) REFERENCES job (tenant_id, id)
);
CREATE INDEX import_person_stage_id ON import_person_stage (tenant_id, job_id, id_number);
SELECT enable_tenant_rls('import_person_stage'::regclass);
GRANT SELECT, INSERT, UPDATE, DELETE ON import_person_stage TO jinbao_app;

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

-- Legacy data import: rows of an uploaded file are written in bulk (INSERT … SELECT FROM unnest;
-- COPY FROM is refused on tables with row-level security) into a staging table with what parsing
-- found, validated set-based in SQL (duplicates in the file, conflicts with the registry),
-- and applied all or nothing (or the valid rows only). The staging rows are the per-row report.

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

-- Persons registered by an import have no registering user (the import job is the record).
ALTER TABLE person ALTER COLUMN created_by DROP NOT NULL;

INSERT INTO permission (code, description) VALUES ('import.run', 'Import legacy data into the own tenant');
INSERT INTO role_permission (role_code, permission_code) VALUES ('city_admin', 'import.run');
GRANT SELECT, INSERT, UPDATE, DELETE ON import_person_stage TO jinbao_app;

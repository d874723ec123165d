-- Legacy import, second form: rows of a file are streamed with COPY into a temporary table private
-- to the importing session (a table with row-level security refuses COPY; a session's temporary
-- table is invisible to every other session), validated and applied set-based from there. Only
-- the per-row report outlives the import, in import_problem, behind the tenant policy.
-- Adds the standard files for employments, enrolments and contribution history.

DROP TABLE import_person_stage;
DROP TABLE import_employer_stage;

CREATE TABLE import_problem (
    tenant_id    smallint NOT NULL,
    job_id       bigint NOT NULL,
    row_no       integer NOT NULL,
    column_name  text NOT NULL,
    code         text NOT NULL,
    value        text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, job_id, row_no),
    FOREIGN KEY (tenant_id, job_id) REFERENCES job (tenant_id, id)
);
SELECT enable_tenant_rls('import_problem'::regclass);
GRANT SELECT, INSERT ON import_problem TO jinbao_app;

-- Records created by an import name their job (the job row is the record of who ran it). No
-- foreign key on these columns: a check per imported row for a value that is the same for the
-- whole file; the import writes them from its own job id.
ALTER TABLE person ADD COLUMN import_job_id bigint;
ALTER TABLE employer ADD COLUMN import_job_id bigint;
ALTER TABLE employment ADD COLUMN import_job_id bigint, ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE enrolment ADD COLUMN import_job_id bigint, ALTER COLUMN created_by DROP NOT NULL;

-- A person's tenant is implied by the (tenant_id, office_id) reference to office, which itself
-- references tenant; the direct reference cost a second check per inserted row (a third of the
-- time of registering a million persons).
ALTER TABLE person DROP CONSTRAINT person_tenant_id_fkey;

-- Contributions recorded before the city came onto the platform, one row per person, employer,
-- insurance type and month, as the old system kept them. Read with the platform's own
-- assessments wherever a person's contribution history is needed (years, bases, pension).
CREATE TABLE contribution_history (
    tenant_id       smallint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    person_id       bigint NOT NULL,
    employer_id     bigint NOT NULL,
    insurance_type  text NOT NULL CHECK (insurance_type IN ('pension', 'medical', 'unemployment', 'work_injury', 'maternity')),
    period          date NOT NULL CHECK (extract(day FROM period) = 1),
    base_fen        bigint NOT NULL CHECK (base_fen >= 0),
    employer_fen    bigint NOT NULL CHECK (employer_fen >= 0),
    employee_fen    bigint NOT NULL CHECK (employee_fen >= 0),
    import_job_id   bigint,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, person_id, insurance_type, period, employer_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id)
);
CREATE INDEX contribution_history_period ON contribution_history (tenant_id, period);
SELECT enable_tenant_rls('contribution_history'::regclass);
GRANT SELECT, INSERT ON contribution_history TO jinbao_app;

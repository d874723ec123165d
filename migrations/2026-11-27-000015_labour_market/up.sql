-- The labour-market record: unemployment registration (the person is registered unemployed and
-- seeking work — also the condition of the unemployment benefit), re-employment (closing the
-- registration when a job is recorded), vocational training and employment-service contacts.

CREATE TABLE unemployment_registration (
    tenant_id      smallint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    person_id      bigint NOT NULL,
    registered_on  date NOT NULL,
    reason         text NOT NULL CHECK (reason IN ('dismissed', 'contract_ended', 'employer_closed', 'resigned', 'graduate', 'other')),
    status         text NOT NULL DEFAULT 'seeking' CHECK (status IN ('seeking', 're_employed', 'closed')),
    ended_on       date CHECK (ended_on IS NULL OR ended_on >= registered_on),
    end_reason     text,
    office_id      integer NOT NULL,
    created_by     bigint NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id),
    CHECK ((status = 'seeking') = (ended_on IS NULL))
);
CREATE UNIQUE INDEX unemployment_registration_open ON unemployment_registration (tenant_id, person_id) WHERE status = 'seeking';
CREATE INDEX unemployment_registration_status ON unemployment_registration (tenant_id, status, registered_on);

CREATE TABLE training (
    tenant_id       smallint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    person_id       bigint NOT NULL,
    course          text NOT NULL CHECK (char_length(course) BETWEEN 1 AND 100),
    provider        text NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 100),
    start_date      date NOT NULL,
    end_date        date CHECK (end_date IS NULL OR end_date >= start_date),
    certificate_no  text,
    subsidy_fen     bigint NOT NULL DEFAULT 0 CHECK (subsidy_fen >= 0),
    office_id       integer NOT NULL,
    created_by      bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id)
);
CREATE INDEX training_start ON training (tenant_id, start_date);
CREATE INDEX training_person ON training (tenant_id, person_id);

CREATE TABLE service_contact (
    tenant_id     smallint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    person_id     bigint NOT NULL,
    contacted_on  date NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('job_referral', 'counselling', 'job_fair', 'policy_advice', 'other')),
    note          text CHECK (note IS NULL OR char_length(note) <= 500),
    office_id     integer NOT NULL,
    created_by    bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id)
);
CREATE INDEX service_contact_person ON service_contact (tenant_id, person_id);

SELECT enable_tenant_rls(t) FROM unnest(ARRAY['unemployment_registration', 'training', 'service_contact']::regclass[]) AS t;
GRANT SELECT, INSERT, UPDATE ON unemployment_registration TO jinbao_app;
GRANT SELECT, INSERT ON training, service_contact TO jinbao_app;

INSERT INTO permission (code, description) VALUES ('labour.write', 'Record unemployment registration, training and employment-service contacts');
INSERT INTO role_permission (role_code, permission_code) VALUES ('clerk', 'labour.write');

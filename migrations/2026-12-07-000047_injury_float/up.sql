-- An employer's floating work-injury rate (人社部发〔2015〕71号): a percentage of its class rate,
-- decided yearly and effective from a month, dated and audited; every calculation (preview,
-- enrolment, the monthly assessment) uses the decision in force for the month.
CREATE TABLE employer_injury_float (
    tenant_id       smallint NOT NULL,
    employer_id     bigint NOT NULL,
    effective_from  date NOT NULL CHECK (extract(day FROM effective_from) = 1),
    percent         smallint NOT NULL CHECK (percent IN (50, 80, 100, 120, 150)),
    reason          text NOT NULL CHECK (length(reason) > 0),
    decided_by      bigint NOT NULL,
    decided_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, employer_id, effective_from),
    FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES app_user (tenant_id, id)
);
SELECT enable_tenant_rls('employer_injury_float'::regclass);
GRANT SELECT, INSERT ON employer_injury_float TO jinbao_app;

INSERT INTO permission (code, description) VALUES ('injury_rate.decide', 'Decide employers'' floating work-injury rates');
INSERT INTO role_permission (role_code, permission_code) VALUES ('reviewer', 'injury_rate.decide');

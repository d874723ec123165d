-- Insurance certificates (参保证明): what was certified, by whom, and a verification code that a
-- public page can check without revealing more than validity, a name initial and the tenant.

CREATE TABLE certificate (
    tenant_id   smallint NOT NULL REFERENCES tenant (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    code        text NOT NULL CHECK (code ~ '^41[0-9]{4}-[0-9A-HJ-NP-Z]{4}-[0-9A-HJ-NP-Z]{4}-[0-9A-HJ-NP-Z]{4}$'),
    person_id   bigint NOT NULL,
    content     jsonb NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    issued_by   bigint NOT NULL,
    office_id   integer NOT NULL,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, issued_by) REFERENCES app_user (tenant_id, id)
);

SELECT enable_tenant_rls('certificate'::regclass);
GRANT SELECT, INSERT ON certificate TO jinbao_app;
GRANT DELETE ON user_role TO jinbao_app;

-- Onboarding a city: the go-live checklist with who ticked what, and the tenant lifecycle
-- (planned → pilot → live; suspended is read-only with logins refused), every transition audited.

CREATE TABLE onboarding_item (
    tenant_id  smallint NOT NULL REFERENCES tenant (id),
    item       text NOT NULL CHECK (item IN ('rules_reviewed', 'legacy_imported', 'users_created', 'test_enrolment_assessed', 'sign_off')),
    done_by    text,
    done_at    timestamptz,
    note       text,
    PRIMARY KEY (tenant_id, item)
);

SELECT enable_tenant_rls('onboarding_item'::regclass);
GRANT SELECT, INSERT, UPDATE ON onboarding_item TO jinbao_app;

-- Status changes of a tenant are made by platform administrators through the app role.
GRANT UPDATE (status, updated_at) ON tenant TO jinbao_app;

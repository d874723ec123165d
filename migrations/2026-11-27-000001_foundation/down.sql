DROP TABLE audit_log, person_event, employment, employer, person, tenant_rate, tenant_rule,
    revoked_token, user_role, app_user, office, role_permission, permission, role, tenant;
DROP FUNCTION enable_tenant_rls(regclass);
DROP FUNCTION app_tenant();

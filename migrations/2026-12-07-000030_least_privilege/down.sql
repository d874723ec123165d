GRANT CREATE ON SCHEMA public TO jinbao_transfer;
GRANT INSERT (at) ON audit_log TO jinbao_app;
GRANT UPDATE (status, updated_at) ON tenant TO jinbao_app;
DROP FUNCTION tenant_set_status(text);

-- Least privilege, reviewed grant by grant (tests/it/grants.rs compares every grant of every
-- role with tests/it/reviewed_grants.txt).

-- The app role no longer writes the global tenant table: a tenant's status (onboarding lifecycle)
-- changes through this function, which touches only the caller's own tenant row.
CREATE FUNCTION tenant_set_status(p_status text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF app_tenant() IS NULL THEN
        RAISE EXCEPTION 'tenant.no_tenant' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE tenant SET status = p_status, updated_at = now() WHERE id = app_tenant();
END $$;
REVOKE ALL ON FUNCTION tenant_set_status(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_set_status(text) TO jinbao_app;
REVOKE UPDATE (status, updated_at) ON tenant FROM jinbao_app;
REVOKE UPDATE ON tenant FROM jinbao_app;

-- An audit row's time is the database's (`DEFAULT now()`), never the application's.
REVOKE INSERT (at) ON audit_log FROM jinbao_app;

-- The transfer role owns its functions; it creates nothing. (A migration that hands it a new
-- function grants CREATE for the ALTER ... OWNER and revokes it again in the same migration.)
REVOKE CREATE ON SCHEMA public FROM jinbao_transfer;

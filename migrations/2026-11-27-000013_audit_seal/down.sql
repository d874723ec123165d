-- Seal what is unsealed, then go back to linking row by row.
DO $$
DECLARE t smallint;
BEGIN
    FOR t IN SELECT id FROM tenant LOOP
        PERFORM set_config('jinbao.tenant_id', t::text, true);
        PERFORM audit_seal(t);
    END LOOP;
    PERFORM set_config('jinbao.tenant_id', '', true);
END $$;
DROP FUNCTION audit_seal(smallint);
REVOKE INSERT (tenant_id, at, user_id, office_id, actor, action, entity, entity_id, before, after, reason, request_id) ON audit_log FROM jinbao_app;
GRANT INSERT ON audit_log TO jinbao_app;
DROP INDEX audit_log_unsealed;
ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE FUNCTION audit_chain_link() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head audit_chain_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_chain_head WHERE tenant_id = NEW.tenant_id FOR UPDATE;
    IF NOT FOUND THEN
        head := ROW(NEW.tenant_id, 0, audit_genesis(NEW.tenant_id));
        INSERT INTO audit_chain_head VALUES (NEW.tenant_id, 0, head.last_hash) ON CONFLICT DO NOTHING;
        SELECT * INTO head FROM audit_chain_head WHERE tenant_id = NEW.tenant_id FOR UPDATE;
    END IF;
    NEW.chain_seq := head.last_seq + 1;
    NEW.prev_hash := head.last_hash;
    NEW.hash := audit_row_hash(head.last_hash, NEW);
    UPDATE audit_chain_head SET last_seq = NEW.chain_seq, last_hash = NEW.hash WHERE tenant_id = NEW.tenant_id;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_chain_link();
REVOKE ALL ON FUNCTION audit_chain_link() FROM PUBLIC;

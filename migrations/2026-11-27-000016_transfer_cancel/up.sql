-- An open transfer can be withdrawn by either city with a reason (the person changed plans, a
-- wrong city was asked): both sides close as refused, audited in both cities, and the person is
-- free for another transfer.

CREATE FUNCTION transfer_cancel(p_uid uuid, p_user bigint, p_reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mine transfer%ROWTYPE;
BEGIN
    SELECT * INTO mine FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    IF mine.state <> 'requested' THEN RAISE EXCEPTION 'transfer.closed'; END IF;
    IF mine.funds_received_at IS NOT NULL THEN RAISE EXCEPTION 'transfer.funds_received'; END IF;
    UPDATE transfer SET state = 'refused', refused_reason = p_reason, due_since = now()
    WHERE uid = p_uid AND tenant_id IN (mine.tenant_id, mine.other_tenant_id);
    PERFORM transfer_audit(mine.tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
    PERFORM transfer_audit(mine.other_tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
END $$;
ALTER FUNCTION transfer_cancel(uuid, bigint, text) OWNER TO jinbao_transfer;
REVOKE ALL ON FUNCTION transfer_cancel(uuid, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION transfer_cancel(uuid, bigint, text) TO jinbao_app;

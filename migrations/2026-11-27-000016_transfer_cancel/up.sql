-- An open transfer can be withdrawn by either city with a reason (the person changed plans, a
-- wrong city was asked): both sides close as refused, audited in both cities, and the person is
-- free for another transfer.

CREATE FUNCTION transfer_cancel(p_uid uuid, p_user bigint, p_reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mine transfer%ROWTYPE;
    theirs transfer%ROWTYPE;
BEGIN
    SELECT * INTO mine FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid;
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    -- Both sides locked in one order (by tenant) whichever city acts, so steps cannot deadlock.
    PERFORM 1 FROM transfer WHERE uid = p_uid AND tenant_id IN (mine.tenant_id, mine.other_tenant_id) ORDER BY tenant_id FOR UPDATE;
    SELECT * INTO mine FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid;
    SELECT * INTO theirs FROM transfer WHERE tenant_id = mine.other_tenant_id AND uid = p_uid;
    IF mine.state <> 'requested' OR theirs.state <> 'requested' THEN RAISE EXCEPTION 'transfer.closed'; END IF;
    -- Once the funds are on their way the transfer is finished by the two cities, not withdrawn.
    IF coalesce(mine.funds_sent_at, theirs.funds_sent_at, mine.funds_received_at, theirs.funds_received_at) IS NOT NULL THEN
        RAISE EXCEPTION 'transfer.funds_received';
    END IF;
    UPDATE transfer SET state = 'refused', refused_reason = p_reason, due_since = now()
    WHERE uid = p_uid AND tenant_id IN (mine.tenant_id, mine.other_tenant_id);
    PERFORM transfer_audit(mine.tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
    PERFORM transfer_audit(mine.other_tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
END $$;
ALTER FUNCTION transfer_cancel(uuid, bigint, text) OWNER TO jinbao_transfer;
REVOKE ALL ON FUNCTION transfer_cancel(uuid, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION transfer_cancel(uuid, bigint, text) TO jinbao_app;

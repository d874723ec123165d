-- A change of how a benefit is paid (channel, bank, account number, post address) decides where
-- money goes: it is proposed by one person and decided by another, like the claim itself. The app
-- role cannot write a claim's payment columns at all; only `channel_change_apply`, which checks the
-- approval by a second person, copies an approved change onto the claim.
--
-- A payment line keeps the account or address it was generated with: exporting or re-exporting a
-- batch reads the line, never the claim's current data, and the app role cannot rewrite it.

CREATE TABLE channel_change (
    tenant_id         smallint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    claim_id          bigint NOT NULL,
    channel           text NOT NULL CHECK (channel IN ('bank', 'post')),
    bank_name         text,
    account_no        text,
    post_address      text,
    -- How the claim was paid when the change was proposed (shown to the reviewer, audited).
    old_channel       text NOT NULL,
    old_bank_name     text,
    old_account_no    text,
    old_post_address  text,
    reason            text NOT NULL CHECK (length(reason) > 0),
    status            text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
    proposed_by       bigint NOT NULL,
    proposed_at       timestamptz NOT NULL DEFAULT now(),
    decided_by        bigint,
    decided_at        timestamptz,
    decision_note     text,
    applied_at        timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, claim_id) REFERENCES benefit_claim (tenant_id, id),
    FOREIGN KEY (tenant_id, proposed_by) REFERENCES app_user (tenant_id, id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES app_user (tenant_id, id),
    -- Maker-checker: the person who proposed can never decide.
    CHECK (decided_by IS NULL OR decided_by <> proposed_by),
    CHECK ((status = 'proposed') = (decided_by IS NULL)),
    CHECK (status <> 'rejected' OR decision_note IS NOT NULL),
    CHECK (applied_at IS NULL OR status = 'approved'),
    CHECK (channel = 'post' AND post_address IS NOT NULL AND bank_name IS NULL AND account_no IS NULL
        OR channel = 'bank' AND account_no IS NOT NULL AND bank_name IS NOT NULL AND post_address IS NULL)
);
-- One open proposal per claim.
CREATE UNIQUE INDEX channel_change_open ON channel_change (tenant_id, claim_id) WHERE status = 'proposed';
CREATE INDEX channel_change_status ON channel_change (tenant_id, status);
SELECT enable_tenant_rls('channel_change'::regclass);

GRANT SELECT, INSERT ON channel_change TO jinbao_app;
GRANT UPDATE (status, decided_by, decided_at, decision_note) ON channel_change TO jinbao_app;

-- The claim's payment columns are written when the claim is proposed (and approved with it), and
-- afterwards only by channel_change_apply.
REVOKE UPDATE ON benefit_claim FROM jinbao_app;
GRANT UPDATE (status, end_period, decided_by, decided_at, decision_note, stopped_reason) ON benefit_claim TO jinbao_app;

-- Copies an approved change onto its claim, once. Refuses anything not approved by a second
-- person. Runs with the owner's rights, still under the caller's tenant (row-level security is
-- forced for the owner too).
CREATE FUNCTION channel_change_apply(p_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    ch channel_change%ROWTYPE;
BEGIN
    SELECT * INTO ch FROM channel_change WHERE tenant_id = app_tenant() AND id = p_id FOR UPDATE;
    IF NOT FOUND OR ch.status <> 'approved' OR ch.decided_by IS NULL OR ch.decided_by = ch.proposed_by OR ch.applied_at IS NOT NULL THEN
        RAISE EXCEPTION 'channel_change.not_approved' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE benefit_claim SET channel = ch.channel, bank_name = ch.bank_name, account_no = ch.account_no, post_address = ch.post_address
    WHERE tenant_id = ch.tenant_id AND id = ch.claim_id;
    UPDATE channel_change SET applied_at = now() WHERE tenant_id = ch.tenant_id AND id = ch.id;
END $$;
REVOKE ALL ON FUNCTION channel_change_apply(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION channel_change_apply(bigint) TO jinbao_app;

-- The snapshot on each payment line.
ALTER TABLE payment_line ADD COLUMN bank_name text, ADD COLUMN account_no text, ADD COLUMN post_address text;
UPDATE payment_line l SET bank_name = CASE WHEN l.channel = 'bank' THEN c.bank_name END,
                          account_no = CASE WHEN l.channel = 'bank' THEN c.account_no END,
                          post_address = CASE WHEN l.channel = 'post' THEN c.post_address END
FROM benefit_claim c WHERE c.tenant_id = l.tenant_id AND c.id = l.claim_id;
ALTER TABLE payment_line ADD CONSTRAINT payment_line_destination
    CHECK (channel = 'post' AND post_address IS NOT NULL OR channel = 'bank' AND account_no IS NOT NULL AND bank_name IS NOT NULL);
REVOKE UPDATE ON payment_line FROM jinbao_app;
GRANT UPDATE (status, failure, result_at, result_ref) ON payment_line TO jinbao_app;

-- Who may read full account numbers (others see them masked).
INSERT INTO permission (code, description) VALUES ('benefit.reveal_account', 'See full payment account numbers');
INSERT INTO role_permission (role_code, permission_code) VALUES ('reviewer', 'benefit.reveal_account');

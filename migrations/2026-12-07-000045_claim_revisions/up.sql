-- Recalculation of running benefits when a figure they used provisionally is published (the payout
-- base C of the retirement year, a year's personal-account crediting rate). A revision is proposed
-- (by the user who runs the recalculation) and decided by another user; only the database function
-- `claim_revision_apply` changes a claim's amount, and only for a revision approved by someone other
-- than its proposer. The months already paid or in a batch at the old amount get their difference:
-- paid in the next batch (补发, an adjustment line per month) or recorded as an overpayment to
-- recover (扣回).

CREATE TABLE claim_revision (
    tenant_id        smallint NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    claim_id         bigint NOT NULL,
    reason           text NOT NULL CHECK (reason IN ('figures_published')),
    -- What changed, e.g. {"payout_base": {"from_year": 2025, "to_year": 2026}, "rates": [2025, 2026]}.
    published        jsonb NOT NULL,
    old_amount_fen   bigint NOT NULL CHECK (old_amount_fen >= 0),
    new_amount_fen   bigint NOT NULL CHECK (new_amount_fen >= 0),
    calculation      jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
    proposed_by      bigint NOT NULL,
    proposed_at      timestamptz NOT NULL DEFAULT now(),
    decided_by       bigint,
    decided_at       timestamptz,
    decision_note    text,
    applied_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, claim_id) REFERENCES benefit_claim (tenant_id, id),
    FOREIGN KEY (tenant_id, proposed_by) REFERENCES app_user (tenant_id, id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES app_user (tenant_id, id),
    CHECK (decided_by IS NULL OR decided_by <> proposed_by),
    CHECK ((status = 'proposed') = (decided_by IS NULL)),
    CHECK (status <> 'rejected' OR decision_note IS NOT NULL),
    CHECK (applied_at IS NULL OR status = 'approved')
);
CREATE UNIQUE INDEX claim_revision_open ON claim_revision (tenant_id, claim_id) WHERE status = 'proposed';
SELECT enable_tenant_rls('claim_revision'::regclass);
GRANT SELECT, INSERT ON claim_revision TO jinbao_app;
GRANT UPDATE (status, decided_by, decided_at, decision_note) ON claim_revision TO jinbao_app;

-- The difference owed for one month already paid (or in a batch) at the old amount: positive, paid
-- by an adjustment line of a later batch; negative, an overpayment to recover.
CREATE TABLE claim_adjustment (
    tenant_id     smallint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    revision_id   bigint NOT NULL,
    claim_id      bigint NOT NULL,
    period        date NOT NULL CHECK (extract(day FROM period) = 1),
    amount_fen    bigint NOT NULL CHECK (amount_fen <> 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, revision_id, period),
    FOREIGN KEY (tenant_id, revision_id) REFERENCES claim_revision (tenant_id, id),
    FOREIGN KEY (tenant_id, claim_id) REFERENCES benefit_claim (tenant_id, id)
);
CREATE INDEX claim_adjustment_claim ON claim_adjustment (tenant_id, claim_id);
SELECT enable_tenant_rls('claim_adjustment'::regclass);
GRANT SELECT ON claim_adjustment TO jinbao_app;

-- Payment lines: a regular month, or the adjustment of a month paid before (one per adjustment).
ALTER TABLE payment_line ADD COLUMN adjustment_id bigint;
ALTER TABLE payment_line ADD CONSTRAINT payment_line_adjustment
    FOREIGN KEY (tenant_id, adjustment_id) REFERENCES claim_adjustment (tenant_id, id);
DROP INDEX payment_line_once;
CREATE UNIQUE INDEX payment_line_once ON payment_line (tenant_id, claim_id, period) WHERE status <> 'failed' AND adjustment_id IS NULL;
CREATE UNIQUE INDEX payment_line_adjustment_once ON payment_line (tenant_id, adjustment_id) WHERE status <> 'failed' AND adjustment_id IS NOT NULL;

-- Applies an approved revision once: the claim's amount and calculation, and the adjustments of the
-- months paid or in a batch at another amount.
CREATE FUNCTION claim_revision_apply(p_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r claim_revision%ROWTYPE;
BEGIN
    SELECT * INTO r FROM claim_revision WHERE tenant_id = app_tenant() AND id = p_id FOR UPDATE;
    IF NOT FOUND OR r.status <> 'approved' OR r.decided_by IS NULL OR r.decided_by = r.proposed_by OR r.applied_at IS NOT NULL THEN
        RAISE EXCEPTION 'claim_revision.not_approved' USING ERRCODE = 'check_violation';
    END IF;
    -- Batch generation takes the same lock: no line is generated at the old amount meanwhile.
    PERFORM pg_advisory_xact_lock(hashtextextended('payments:' || r.tenant_id::text, 0));
    PERFORM 1 FROM benefit_claim WHERE tenant_id = r.tenant_id AND id = r.claim_id FOR UPDATE;
    -- Every month paid or pending at an amount other than the new one, net of earlier adjustments.
    INSERT INTO claim_adjustment (tenant_id, revision_id, claim_id, period, amount_fen)
    SELECT r.tenant_id, r.id, r.claim_id, m.period, r.new_amount_fen - m.fen
    FROM (SELECT l.period,
                 sum(l.amount_fen) FILTER (WHERE l.adjustment_id IS NULL)
                 + coalesce((SELECT sum(a.amount_fen) FROM claim_adjustment a
                             WHERE a.tenant_id = r.tenant_id AND a.claim_id = r.claim_id AND a.period = l.period), 0) AS fen
          FROM payment_line l
          -- (a failed month is reissued at the claim's amount then, so it needs no adjustment)
          WHERE l.tenant_id = r.tenant_id AND l.claim_id = r.claim_id AND l.status <> 'failed' AND l.adjustment_id IS NULL
          GROUP BY l.period) m
    WHERE m.fen <> r.new_amount_fen;
    UPDATE benefit_claim SET amount_fen = r.new_amount_fen, calculation = r.calculation WHERE tenant_id = r.tenant_id AND id = r.claim_id;
    UPDATE claim_revision SET applied_at = now() WHERE tenant_id = r.tenant_id AND id = r.id;
END $$;
REVOKE ALL ON FUNCTION claim_revision_apply(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_revision_apply(bigint) TO jinbao_app;

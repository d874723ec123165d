-- Benefits (pension, unemployment, maternity) decided by two people, paid monthly in batches
-- through banks and the post office.

-- The benefit parameters of a tenant, from its file in tenants/ (cities inherit the province's
-- unless they set their own), versioned like the contribution rules: a changed file supersedes.
CREATE TABLE benefit_rule (
    tenant_id                      smallint NOT NULL REFERENCES tenant (id),
    id                             bigint GENERATED ALWAYS AS IDENTITY,
    version                        integer NOT NULL,
    transitional_coefficient_bp    integer NOT NULL CHECK (transitional_coefficient_bp BETWEEN 0 AND 1000),
    accounts_began                 date NOT NULL,
    min_wage_fen                   bigint NOT NULL CHECK (min_wage_fen > 0),
    subsistence_fen                bigint NOT NULL CHECK (subsistence_fen >= 0),
    unemployment_percent_bp        integer NOT NULL CHECK (unemployment_percent_bp BETWEEN 1 AND 9000),
    maternity_extra_days           integer NOT NULL CHECK (maternity_extra_days BETWEEN 0 AND 365),
    maternity_fund_pays_extra      boolean NOT NULL,
    content_hash                   text NOT NULL,
    source                         text NOT NULL,
    created_at                     timestamptz NOT NULL DEFAULT now(),
    superseded_at                  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX benefit_rule_current ON benefit_rule (tenant_id) WHERE superseded_at IS NULL;

-- Yearly figures: the average monthly wage that divides a year's base into its contribution
-- index (when absent, the contribution rule in force that July), the pension payout base C of
-- retirements in that year, and the personal-account interest credited for that year.
CREATE TABLE benefit_year (
    tenant_id         smallint NOT NULL,
    rule_id           bigint NOT NULL,
    year              integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    avg_wage_fen      bigint CHECK (avg_wage_fen > 0),
    payout_base_fen   bigint CHECK (payout_base_fen > 0),
    interest_bp       integer CHECK (interest_bp BETWEEN 0 AND 5000),
    PRIMARY KEY (tenant_id, rule_id, year),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES benefit_rule (tenant_id, id)
);

-- A benefit decision: proposed by one person, approved or rejected by another. The inputs and
-- every intermediate figure are kept so that anyone can recompute the amount.
CREATE TABLE benefit_claim (
    tenant_id         smallint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    person_id         bigint NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('pension', 'unemployment', 'maternity')),
    status            text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected', 'stopped')),
    inputs            jsonb NOT NULL,
    calculation       jsonb NOT NULL,
    amount_fen        bigint NOT NULL CHECK (amount_fen >= 0),
    -- Monthly benefits are due from start_period; end_period is the last month due (NULL: until
    -- stopped). A one-off payment (maternity) is due once, in start_period.
    monthly           boolean NOT NULL,
    start_period      date NOT NULL CHECK (extract(day FROM start_period) = 1),
    -- (a benefit stopped before its first month ends the month before it: nothing is due)
    end_period        date CHECK (end_period IS NULL OR end_period >= start_period - interval '1 month'),
    channel           text NOT NULL CHECK (channel IN ('bank', 'post')),
    bank_name         text,
    account_no        text,
    post_address      text,
    office_id         integer NOT NULL,
    proposed_by       bigint NOT NULL,
    proposed_at       timestamptz NOT NULL DEFAULT now(),
    decided_by        bigint,
    decided_at        timestamptz,
    decision_note     text,
    stopped_reason    text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id),
    FOREIGN KEY (tenant_id, proposed_by) REFERENCES app_user (tenant_id, id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES app_user (tenant_id, id),
    -- Maker-checker: the person who proposed can never decide.
    CHECK (decided_by IS NULL OR decided_by <> proposed_by),
    CHECK ((status = 'proposed') = (decided_by IS NULL)),
    CHECK (channel = 'post' AND post_address IS NOT NULL OR channel = 'bank' AND account_no IS NOT NULL AND bank_name IS NOT NULL)
);
-- One open claim of a kind per person: proposed, or an approved monthly benefit still running (a
-- one-off allowance, once approved, does not stand in the way of a later one; a monthly benefit
-- past its last month is closed before a new proposal).
CREATE UNIQUE INDEX benefit_claim_open ON benefit_claim (tenant_id, person_id, kind)
    WHERE status = 'proposed' OR (status = 'approved' AND monthly);
CREATE INDEX benefit_claim_status ON benefit_claim (tenant_id, status, kind);

-- A month's payments of a tenant: generated once per period (re-generation adds nothing once
-- exported), exported as a bank file and a post-office list, closed when results are in.
CREATE TABLE payment_batch (
    tenant_id     smallint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    period        date NOT NULL CHECK (extract(day FROM period) = 1),
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'exported', 'closed')),
    created_by    bigint,
    created_at    timestamptz NOT NULL DEFAULT now(),
    exported_at   timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, period)
);

-- One payment of one claim for one month. A failed line is reissued as a new line (reissue_of)
-- in a later batch; at most one line per claim and month is pending or paid, so nothing is paid
-- twice whatever is re-generated or re-imported.
CREATE TABLE payment_line (
    tenant_id     smallint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    batch_id      bigint NOT NULL,
    claim_id      bigint NOT NULL,
    person_id     bigint NOT NULL,
    kind          text NOT NULL,
    period        date NOT NULL,
    amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
    channel       text NOT NULL CHECK (channel IN ('bank', 'post')),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed')),
    failure       text,
    result_at     timestamptz,
    result_ref    text,
    reissue_of    bigint,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES payment_batch (tenant_id, id),
    FOREIGN KEY (tenant_id, claim_id) REFERENCES benefit_claim (tenant_id, id),
    FOREIGN KEY (tenant_id, reissue_of) REFERENCES payment_line (tenant_id, id)
);
CREATE UNIQUE INDEX payment_line_once ON payment_line (tenant_id, claim_id, period) WHERE status <> 'failed';
CREATE UNIQUE INDEX payment_line_reissued ON payment_line (tenant_id, reissue_of) WHERE reissue_of IS NOT NULL;
CREATE INDEX payment_line_batch ON payment_line (tenant_id, batch_id, channel);

SELECT enable_tenant_rls(t) FROM unnest(ARRAY['benefit_rule', 'benefit_year', 'benefit_claim', 'payment_batch', 'payment_line']::regclass[]) AS t;
GRANT SELECT ON benefit_rule, benefit_year TO jinbao_app;
GRANT SELECT, INSERT, UPDATE ON benefit_claim, payment_batch, payment_line TO jinbao_app;
-- Lines of a batch not yet exported are drafts: a benefit stopped before its month removes them.
GRANT DELETE ON payment_line TO jinbao_app;

INSERT INTO permission (code, description) VALUES
    ('benefit.propose', 'Propose benefit decisions'),
    ('benefit.approve', 'Approve or reject benefit decisions proposed by others'),
    ('payment.run', 'Generate payment batches, export files and import bank results');
INSERT INTO role_permission (role_code, permission_code) VALUES
    ('clerk', 'benefit.propose'), ('reviewer', 'benefit.approve'), ('reviewer', 'payment.run'),
    ('reviewer', 'finance.read'), ('city_admin', 'finance.read');

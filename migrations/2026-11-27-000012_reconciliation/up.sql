-- Bank supervision and reconciliation: statements of the fund's accounts (income, expenditure,
-- finance dedicated account) as the banks export them, matched against the books per period;
-- mismatches resolved with a note by a reviewer, and the period signed off. Statement lines,
-- resolutions and sign-offs are never changed once written (the app role may only insert).

CREATE TABLE bank_statement_line (
    tenant_id     smallint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    account       text NOT NULL CHECK (account IN ('income', 'expenditure', 'finance')),
    booked_on     date NOT NULL,
    reference     text NOT NULL,
    counterparty  text,
    debit_fen     bigint NOT NULL DEFAULT 0 CHECK (debit_fen >= 0),
    credit_fen    bigint NOT NULL DEFAULT 0 CHECK (credit_fen >= 0),
    balance_fen   bigint,
    memo          text,
    imported_by   bigint,
    imported_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    -- A bank's transaction reference appears once per account: re-importing a statement adds nothing.
    UNIQUE (tenant_id, account, reference),
    FOREIGN KEY (tenant_id, imported_by) REFERENCES app_user (tenant_id, id),
    CHECK ((debit_fen > 0) <> (credit_fen > 0))
);
CREATE INDEX bank_statement_day ON bank_statement_line (tenant_id, account, booked_on);
CREATE INDEX collection_paid_on ON collection (tenant_id, paid_on);
CREATE INDEX payment_line_result ON payment_line (tenant_id, result_ref) WHERE result_ref IS NOT NULL;

CREATE TABLE reconciliation_resolution (
    tenant_id    smallint NOT NULL,
    period       date NOT NULL CHECK (extract(day FROM period) = 1),
    item_kind    text NOT NULL,
    item_id      bigint NOT NULL,
    note         text NOT NULL CHECK (char_length(note) BETWEEN 2 AND 500),
    resolved_by  bigint NOT NULL,
    resolved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, period, item_kind, item_id),
    FOREIGN KEY (tenant_id, resolved_by) REFERENCES app_user (tenant_id, id)
);

CREATE TABLE reconciliation_signoff (
    tenant_id   smallint NOT NULL,
    period      date NOT NULL CHECK (extract(day FROM period) = 1),
    signed_by   bigint NOT NULL,
    signed_at   timestamptz NOT NULL DEFAULT now(),
    summary     jsonb NOT NULL,
    PRIMARY KEY (tenant_id, period),
    FOREIGN KEY (tenant_id, signed_by) REFERENCES app_user (tenant_id, id)
);

SELECT enable_tenant_rls(t) FROM unnest(ARRAY['bank_statement_line', 'reconciliation_resolution', 'reconciliation_signoff']::regclass[]) AS t;
GRANT SELECT, INSERT ON bank_statement_line, reconciliation_resolution, reconciliation_signoff TO jinbao_app;

INSERT INTO permission (code, description) VALUES
    ('reconciliation.run', 'Import bank statements, resolve mismatches and sign off a period');
INSERT INTO role_permission (role_code, permission_code) VALUES ('reviewer', 'reconciliation.run');

-- What each employer owes per month and insurance type, kept by the assessment statements
-- themselves (regular runs and back payments add, a re-opened period is removed), so that the fund
-- ledger allocates collections over employers × months instead of over every assessment row.

CREATE TABLE employer_due (
    tenant_id       smallint NOT NULL,
    period          date NOT NULL,
    employer_id     bigint NOT NULL,
    insurance_type  text NOT NULL,
    due_fen         bigint NOT NULL,
    PRIMARY KEY (tenant_id, period, employer_id, insurance_type)
    -- No foreign keys, like assessment: derived rows, written only with the assessment rows.
);
SELECT enable_tenant_rls('employer_due'::regclass);
GRANT SELECT, INSERT, UPDATE, DELETE ON employer_due TO jinbao_app;

DO $$
DECLARE t smallint;
BEGIN
    FOR t IN SELECT id FROM tenant LOOP
        PERFORM set_config('jinbao.tenant_id', t::text, true);
        INSERT INTO employer_due (tenant_id, period, employer_id, insurance_type, due_fen)
        SELECT tenant_id, period, employer_id, insurance_type, sum(employer_fen + employee_fen)
        FROM assessment WHERE tenant_id = t GROUP BY tenant_id, period, employer_id, insurance_type;
    END LOOP;
    PERFORM set_config('jinbao.tenant_id', '', true);
END $$;

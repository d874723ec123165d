-- The funds' income by insurance type (statistic `income_fen`, period × type): what each
-- employer's payments for a month cover of what it owes, type by type in the allocation order.
-- Kept from now on by the writes that change it (repo::income); here, the figures so far.
DO $$
DECLARE t smallint;
BEGIN
    FOR t IN SELECT id FROM tenant LOOP
        PERFORM set_config('jinbao.tenant_id', t::text, true);
        INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
        SELECT t, 'income_fen', period, insurance_type, sum(fen)::bigint FROM (
            SELECT d.period, d.insurance_type,
                   greatest(0, least(d.due_fen, p.paid - (sum(d.due_fen) OVER (PARTITION BY d.employer_id, d.period
                       ORDER BY array_position(ARRAY['pension','medical','unemployment','work_injury','maternity'], d.insurance_type)) - d.due_fen))) AS fen
            FROM employer_due d
            JOIN (SELECT employer_id, period, sum(amount_fen)::bigint AS paid FROM collection WHERE tenant_id = t GROUP BY employer_id, period) p
              ON p.employer_id = d.employer_id AND p.period = d.period
            WHERE d.tenant_id = t) x
        GROUP BY period, insurance_type HAVING sum(fen) <> 0;
    END LOOP;
END $$;

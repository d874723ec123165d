-- Province statistics without scanning person-level tables per request.
--
-- Every business write appends its effect to stat_delta in the same transaction (append-only,
-- so concurrent writers never wait on a shared counter row). A compaction folds deltas into
-- stat_value; readers add stat_value and the not-yet-folded deltas, so figures are exact at any
-- moment. The analytics role reads both across all tenants through its own SELECT policy; the app
-- role sees only its tenant, like everywhere else.
--
-- Metrics (period = first day of the month; '1900-01-01' for current totals; insurance_type '' when
-- not by type): persons, employers, active_enrolments(type), new_enrolments(period, type),
-- stopped_enrolments(period, type), assessed_fen(period, type), collected_fen(period).

CREATE TABLE stat_delta (
    tenant_id       smallint NOT NULL REFERENCES tenant (id),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    metric          text NOT NULL,
    period          date NOT NULL DEFAULT '1900-01-01',
    insurance_type  text NOT NULL DEFAULT '',
    value           bigint NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE stat_value (
    tenant_id       smallint NOT NULL REFERENCES tenant (id),
    metric          text NOT NULL,
    period          date NOT NULL DEFAULT '1900-01-01',
    insurance_type  text NOT NULL DEFAULT '',
    value           bigint NOT NULL,
    PRIMARY KEY (tenant_id, metric, period, insurance_type)
);

SELECT enable_tenant_rls(t) FROM unnest(ARRAY['stat_delta', 'stat_value']::regclass[]) AS t;
CREATE POLICY analytics_read ON stat_delta FOR SELECT TO jinbao_analytics USING (true);
CREATE POLICY analytics_read ON stat_value FOR SELECT TO jinbao_analytics USING (true);

GRANT SELECT, INSERT, DELETE ON stat_delta TO jinbao_app;
GRANT SELECT, INSERT, UPDATE ON stat_value TO jinbao_app;
GRANT SELECT ON stat_delta, stat_value TO jinbao_analytics;

-- Existing data (when upgrading a database that already has business rows): one delta per figure.
-- Runs as the owner, which RLS also binds, so it goes tenant by tenant.
DO $$
DECLARE t smallint;
BEGIN
    FOR t IN SELECT id FROM tenant LOOP
        PERFORM set_config('jinbao.tenant_id', t::text, true);
        INSERT INTO stat_delta (tenant_id, metric, value) SELECT t, 'persons', count(*) FROM person HAVING count(*) > 0;
        INSERT INTO stat_delta (tenant_id, metric, value) SELECT t, 'employers', count(*) FROM employer HAVING count(*) > 0;
        INSERT INTO stat_delta (tenant_id, metric, insurance_type, value)
            SELECT t, 'active_enrolments', insurance_type, count(*) FROM enrolment WHERE status = 'active' GROUP BY insurance_type;
        INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
            SELECT t, 'new_enrolments', start_period, insurance_type, count(*) FROM enrolment GROUP BY start_period, insurance_type;
        INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
            SELECT t, 'stopped_enrolments', end_period, insurance_type, count(*) FROM enrolment WHERE end_period IS NOT NULL GROUP BY end_period, insurance_type;
        INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
            SELECT t, 'assessed_fen', period, insurance_type, sum(employer_fen + employee_fen) FROM assessment GROUP BY period, insurance_type;
        INSERT INTO stat_delta (tenant_id, metric, period, value)
            SELECT t, 'collected_fen', period, sum(amount_fen) FROM collection GROUP BY period;
    END LOOP;
    PERFORM set_config('jinbao.tenant_id', '', true);
END $$;

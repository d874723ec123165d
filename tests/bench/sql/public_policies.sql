-- Online service under the public role's policies (docs/performance.md). Run against a database
-- cloned from a migrated template: psql -U jinbao_owner -f setup part, then the measured part as
-- jinbao_app:  psql -h 127.0.0.1 -U jinbao_owner DB -v part=setup -f public_policies.sql
--              psql -h 127.0.0.1 -U jinbao_app   DB -v part=measure -f public_policies.sql
\if :{?part}
\else
\set part measure
\endif
SELECT :'part' = 'setup' AS setup \gset
\if :setup
SET jinbao.tenant_id = 11;
\set ON_ERROR_STOP 1
INSERT INTO app_user (tenant_id, office_id, username, display_name, password_hash) SELECT 11, (SELECT min(id) FROM office WHERE tenant_id = 11), 'perf', 'perf', 'x';
INSERT INTO employer (tenant_id, credit_code, name, risk_class, registered_on, office_id, created_by)
SELECT 11, '91411000PERF' || lpad(g::text, 5, '0') || 'X', '单位' || g, 1, '2020-01-01', (SELECT min(id) FROM office WHERE tenant_id = 11), (SELECT id FROM app_user WHERE username = 'perf')
FROM generate_series(1, 1000) g;
INSERT INTO person (tenant_id, id_number, name, gender, birth_date, office_id, created_by)
SELECT 11, '4110021990' || lpad(g::text, 8, '0'), '人' || g, 'male', '1990-01-01', (SELECT min(id) FROM office WHERE tenant_id = 11), (SELECT id FROM app_user WHERE username = 'perf')
FROM generate_series(1, 200000) g;
-- 200 persons per employer.
INSERT INTO employment (tenant_id, person_id, employer_id, start_date, created_by)
SELECT 11, p.id, (SELECT min(id) FROM employer WHERE tenant_id = 11) + ((row_number() OVER (ORDER BY p.id) - 1) % 1000), '2021-01-01', (SELECT id FROM app_user WHERE username = 'perf')
FROM person p WHERE p.tenant_id = 11;
INSERT INTO enrolment (tenant_id, person_id, employer_id, insurance_type, start_period, office_id, created_by)
SELECT m.tenant_id, m.person_id, m.employer_id, t, '2021-01-01', (SELECT min(id) FROM office WHERE tenant_id = 11), (SELECT id FROM app_user WHERE username = 'perf')
FROM employment m CROSS JOIN unnest(ARRAY['pension','medical']) t WHERE m.tenant_id = 11;
INSERT INTO public_account (tenant_id, kind, employer_id, login, display_name, password_hash, status, office_id, created_by)
SELECT 11, 'employer', min(id), 'perf.kj', '会计', 'x', 'active', (SELECT min(id) FROM office WHERE tenant_id = 11), (SELECT id FROM app_user WHERE username = 'perf') FROM employer WHERE tenant_id = 11;
ANALYZE;
\else
SELECT set_config('jinbao.tenant_id', '11', false);
SELECT id AS account FROM public_account WHERE login = 'perf.kj' \gset
BEGIN;
SELECT public_session_begin(11::smallint, :account, gen_random_uuid(), 0);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT m.id AS employment_id, m.person_id, p.name, p.id_number::text AS id_number, m.start_date, m.end_date,
       ARRAY(SELECT en.insurance_type FROM enrolment en
              WHERE en.tenant_id = m.tenant_id AND en.person_id = m.person_id AND en.employer_id = m.employer_id
                AND en.status = 'active' ORDER BY en.insurance_type) AS active_types
  FROM employment m JOIN person p ON p.tenant_id = m.tenant_id AND p.id = m.person_id
 WHERE m.tenant_id = 11 AND m.employer_id = app_employer()
   AND (NULL::text IS NULL)
 ORDER BY m.end_date DESC NULLS FIRST, p.name, m.id
 LIMIT 51 OFFSET 0;
EXPLAIN (ANALYZE, COSTS OFF) SELECT id FROM person WHERE tenant_id = 11 AND id_number = '411002199000000150';
EXPLAIN (ANALYZE, COSTS OFF) SELECT id FROM person WHERE tenant_id = 11 AND id_number = '411002199000100150';
ROLLBACK;
\endif

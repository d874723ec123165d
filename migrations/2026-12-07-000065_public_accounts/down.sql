DROP FUNCTION public_policy(regclass, text, text);
DROP FUNCTION public_hire_link(text, text, date);
DROP FUNCTION public_session_begin(smallint, bigint, uuid, integer);
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['public_account', 'employer', 'employer_injury_float', 'employment', 'person', 'enrolment',
      'contribution_base', 'assessment', 'collection', 'certificate', 'person_event', 'idempotency_key', 'public_revoked_token'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS public_principal ON %I', t);
  END LOOP; END $$;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM jinbao_public;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM jinbao_public;
REVOKE USAGE ON SCHEMA public FROM jinbao_public;
ALTER TABLE person DROP CONSTRAINT person_written_by, DROP COLUMN created_by_account;
ALTER TABLE employment DROP CONSTRAINT employment_written_by, DROP COLUMN created_by_account;
ALTER TABLE enrolment DROP CONSTRAINT enrolment_written_by, DROP COLUMN created_by_account;
ALTER TABLE contribution_base DROP COLUMN created_by_account;
ALTER TABLE certificate DROP CONSTRAINT certificate_issued_by, DROP COLUMN issued_by_account;
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_owner, DROP COLUMN account_id;
DROP TABLE public_application;
DROP TABLE public_revoked_token;
DROP TABLE public_account;
DROP FUNCTION app_employs(bigint);
DROP FUNCTION app_sees_person(bigint);
DROP FUNCTION app_worked_at(bigint);
DROP FUNCTION app_account();
DROP FUNCTION app_employer();
DROP FUNCTION app_person();

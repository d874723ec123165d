DELETE FROM role_permission WHERE permission_code IN ('enrolment.write', 'contribution.read', 'assessment.run', 'assessment.reopen', 'collection.write');
DELETE FROM permission WHERE code IN ('enrolment.write', 'contribution.read', 'assessment.run', 'assessment.reopen', 'collection.write');
DROP TABLE job, idempotency_key, collection, assessment, assessment_period, contribution_base, enrolment;
DROP FUNCTION clamp_base(bigint, bigint, int, int, boolean, text);
DROP FUNCTION round_div(bigint, bigint, text);

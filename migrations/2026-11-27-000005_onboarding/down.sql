REVOKE UPDATE (status, updated_at) ON tenant FROM jinbao_app;
DROP TABLE onboarding_item;

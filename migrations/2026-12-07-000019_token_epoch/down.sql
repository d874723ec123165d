ALTER TABLE app_user DROP COLUMN token_epoch;

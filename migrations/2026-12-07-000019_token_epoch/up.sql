-- Every token carries its user's token epoch; disabling a user, resetting or changing a password,
-- and changing roles or office raise the epoch, so every token issued before stops working at once
-- (checked in the database inside every tenant transaction, with the revocation list).
ALTER TABLE app_user ADD COLUMN token_epoch integer NOT NULL DEFAULT 0;

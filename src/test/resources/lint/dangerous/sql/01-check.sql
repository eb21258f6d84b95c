--liquibase formatted sql

--changeset lint-fixture:constraint-missing-not-valid-check
--comment: A check constraint validated as it is added.
ALTER TABLE account ADD CONSTRAINT ck_account_mail CHECK (mail LIKE '%@%');
--rollback ALTER TABLE account DROP CONSTRAINT ck_account_mail;

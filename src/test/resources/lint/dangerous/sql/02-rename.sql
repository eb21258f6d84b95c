--liquibase formatted sql

--changeset lint-fixture:renaming-table
--comment: A table renamed, in raw SQL.
ALTER TABLE account RENAME TO customer_account;
--rollback ALTER TABLE customer_account RENAME TO account;

CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE VIEW account_ids AS SELECT id FROM account;

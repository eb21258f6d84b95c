CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE VIEW account_names AS SELECT id, name AS full_name FROM account;

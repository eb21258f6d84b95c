CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
ALTER TABLE account ADD CONSTRAINT uq_account_name UNIQUE (name);

CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
ALTER TABLE account ADD CONSTRAINT ck_account_name CHECK (length(name) > 0);

CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE VIEW c_base AS SELECT id, name FROM account;
CREATE VIEW b_mid AS SELECT name FROM c_base;
CREATE VIEW a_top AS SELECT count(*) AS names FROM b_mid;

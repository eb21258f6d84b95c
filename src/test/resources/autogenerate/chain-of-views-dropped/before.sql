CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE VIEW a_base AS SELECT id, name FROM account;
CREATE VIEW b_mid AS SELECT name FROM a_base;
CREATE VIEW c_top AS SELECT count(*) AS names FROM b_mid;

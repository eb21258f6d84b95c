CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE MATERIALIZED VIEW account_stats AS SELECT count(*) AS accounts FROM account;
CREATE UNIQUE INDEX ix_account_stats ON account_stats (accounts);

CREATE TABLE account (id integer PRIMARY KEY, score bigint CHECK (score >= 0));

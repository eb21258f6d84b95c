CREATE TABLE account (id integer PRIMARY KEY, score bigint NOT NULL, name text);

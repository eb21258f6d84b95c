CREATE TABLE account (id integer PRIMARY KEY, score bigint, name text);

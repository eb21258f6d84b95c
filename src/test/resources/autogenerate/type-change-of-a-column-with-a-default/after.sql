CREATE TABLE account (id integer PRIMARY KEY, score bigint DEFAULT 0, name text);

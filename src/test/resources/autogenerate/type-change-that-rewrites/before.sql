CREATE TABLE account (id integer PRIMARY KEY, score integer, name text);

CREATE TABLE account (id integer PRIMARY KEY, score integer DEFAULT 0, name text);

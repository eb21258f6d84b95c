CREATE TABLE account (id integer PRIMARY KEY, score integer NOT NULL, name text);

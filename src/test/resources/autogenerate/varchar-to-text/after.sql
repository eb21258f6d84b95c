CREATE TABLE account (id integer PRIMARY KEY, name text NOT NULL);

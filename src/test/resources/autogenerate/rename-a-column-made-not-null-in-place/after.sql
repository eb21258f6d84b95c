CREATE TABLE account (id integer PRIMARY KEY, nickname text NOT NULL);

CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL, score integer NOT NULL DEFAULT 0);

CREATE TABLE community (id integer PRIMARY KEY, name varchar(100) NOT NULL, score integer NOT NULL DEFAULT 0);

CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);

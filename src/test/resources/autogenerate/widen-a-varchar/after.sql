CREATE TABLE account (id integer PRIMARY KEY, name varchar(200) NOT NULL);

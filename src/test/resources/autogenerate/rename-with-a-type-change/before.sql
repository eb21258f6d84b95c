CREATE TABLE account (id integer PRIMARY KEY, nick varchar(50));

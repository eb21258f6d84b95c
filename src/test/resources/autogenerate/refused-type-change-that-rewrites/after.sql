CREATE TABLE account (id bigint PRIMARY KEY, name varchar(100) NOT NULL);

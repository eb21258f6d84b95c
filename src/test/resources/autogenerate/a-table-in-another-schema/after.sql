CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE SCHEMA reporting;
CREATE TABLE reporting.daily (day date PRIMARY KEY, accounts integer NOT NULL);

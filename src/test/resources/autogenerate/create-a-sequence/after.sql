CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE SEQUENCE invoice_number START 1000;

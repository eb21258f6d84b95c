CREATE TABLE invoice (id integer PRIMARY KEY, amount numeric(14,2) NOT NULL);

CREATE TABLE invoice (id integer PRIMARY KEY, amount numeric(10,3) NOT NULL);

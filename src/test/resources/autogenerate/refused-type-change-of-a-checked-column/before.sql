CREATE TABLE account (id integer PRIMARY KEY, score integer CHECK (score >= 0));

CREATE TABLE account (id integer PRIMARY KEY, state text DEFAULT 'open');

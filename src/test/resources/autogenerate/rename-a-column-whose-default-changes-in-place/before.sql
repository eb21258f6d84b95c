CREATE TABLE account (id integer PRIMARY KEY, status text DEFAULT 'active');

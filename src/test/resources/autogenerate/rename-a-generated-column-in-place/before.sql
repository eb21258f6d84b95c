CREATE TABLE account (id integer PRIMARY KEY, a integer, total integer GENERATED ALWAYS AS (a * 2) STORED);

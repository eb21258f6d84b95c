CREATE TABLE account (id integer PRIMARY KEY, a integer, doubled integer GENERATED ALWAYS AS (a * 2) STORED);

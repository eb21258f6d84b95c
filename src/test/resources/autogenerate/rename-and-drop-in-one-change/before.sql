CREATE TABLE account (id integer PRIMARY KEY, nick text, legacy_flag boolean);

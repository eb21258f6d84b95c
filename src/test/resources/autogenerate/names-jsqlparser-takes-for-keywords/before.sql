CREATE TABLE settings (id integer PRIMARY KEY, level integer, action text, created timestamp);

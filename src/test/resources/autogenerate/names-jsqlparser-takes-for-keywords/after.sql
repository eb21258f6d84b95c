CREATE TABLE settings (id integer PRIMARY KEY, action text, created timestamp);
CREATE INDEX ix_settings_created ON settings (created);
CREATE TABLE action (id integer PRIMARY KEY, level integer NOT NULL, settings text);

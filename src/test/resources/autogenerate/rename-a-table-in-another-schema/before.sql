CREATE SCHEMA archive;
CREATE TABLE archive.old_user (id integer PRIMARY KEY, email text NOT NULL);

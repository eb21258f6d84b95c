CREATE SCHEMA archive;
CREATE TABLE archive.old_user (id integer PRIMARY KEY, email text NOT NULL);
ALTER TABLE archive.old_user RENAME TO retired_user;

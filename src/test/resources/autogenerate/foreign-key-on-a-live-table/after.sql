CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE course (id integer PRIMARY KEY, owner_id integer);
ALTER TABLE course ADD CONSTRAINT course_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES account (id);

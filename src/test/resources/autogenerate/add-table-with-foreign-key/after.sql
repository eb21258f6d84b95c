CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE course (id integer PRIMARY KEY, owner_id integer NOT NULL REFERENCES account (id) ON DELETE CASCADE, title text NOT NULL);

CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE course (id integer PRIMARY KEY, owner_id integer);

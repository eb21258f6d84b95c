CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE membership (account_id integer REFERENCES account (id), course_id integer, PRIMARY KEY (account_id, course_id));

CREATE TABLE packages (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, user_id integer NOT NULL);
CREATE INDEX index_packages_user_id ON packages (user_id);
CREATE TABLE versions (id serial PRIMARY KEY, package_id integer NOT NULL REFERENCES packages (id), num varchar NOT NULL);

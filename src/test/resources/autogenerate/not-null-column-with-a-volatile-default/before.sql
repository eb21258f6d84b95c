CREATE TABLE account (id integer PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION generate_unique_changeme() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;

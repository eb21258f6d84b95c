CREATE FUNCTION positive(n integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT sign(n)::integer $$;
CREATE TABLE post (id integer PRIMARY KEY, score integer NOT NULL CHECK (positive(score) = 1));

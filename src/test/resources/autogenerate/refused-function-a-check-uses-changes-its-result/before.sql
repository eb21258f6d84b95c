CREATE FUNCTION positive(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n > 0 $$;
CREATE TABLE post (id integer PRIMARY KEY, score integer NOT NULL CHECK (positive(score)));

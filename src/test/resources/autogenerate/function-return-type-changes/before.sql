CREATE TABLE post (id integer PRIMARY KEY, score integer NOT NULL DEFAULT 0);
CREATE FUNCTION hot_rank(score integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT score * 2 $$;
CREATE VIEW post_view AS SELECT id, hot_rank(score) AS rank FROM post;

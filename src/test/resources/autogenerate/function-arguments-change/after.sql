CREATE TABLE post (id integer PRIMARY KEY, score integer NOT NULL DEFAULT 0);
CREATE FUNCTION hot_rank(score integer, weight integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT score * weight $$;
CREATE VIEW post_view AS SELECT id, hot_rank(score, 2) AS rank FROM post;

CREATE TABLE community (id integer PRIMARY KEY, name varchar(100) NOT NULL, score integer NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX ix_community_lower_name ON community (lower((name)::text));
CREATE INDEX ix_community_rank ON community (((score)::numeric / 10)) WHERE (score)::numeric > 0;
CREATE TABLE post (id integer PRIMARY KEY, title varchar(200) NOT NULL);
CREATE INDEX ix_post_lower_title ON post (lower((title)::text));

CREATE TABLE account (id integer PRIMARY KEY, score integer CONSTRAINT score_positive CHECK (score >= 0));

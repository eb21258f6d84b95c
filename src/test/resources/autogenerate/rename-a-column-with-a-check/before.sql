CREATE TABLE account (id integer PRIMARY KEY, score integer CHECK (score >= 0), level integer, CONSTRAINT score_under_level CHECK (score <= level));

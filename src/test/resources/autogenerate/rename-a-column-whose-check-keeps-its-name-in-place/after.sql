CREATE TABLE account (id integer PRIMARY KEY, points integer CONSTRAINT score_positive CHECK (points >= 0));

CREATE TABLE account (id integer PRIMARY KEY, points integer CHECK (points >= 0), level integer, CONSTRAINT points_under_level CHECK (points <= level));

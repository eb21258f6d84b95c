CREATE TABLE account (id integer PRIMARY KEY, created_at timestamp NOT NULL DEFAULT now(), seen_at timestamptz);

CREATE FUNCTION generate_unique_changeme() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;
CREATE TABLE account (id integer PRIMARY KEY, name text NOT NULL,
  public_id uuid NOT NULL DEFAULT gen_random_uuid(),
  secret text NOT NULL DEFAULT generate_unique_changeme(),
  seen_at timestamptz DEFAULT clock_timestamp());

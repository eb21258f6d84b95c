CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM account $$;

CREATE TABLE account (id integer PRIMARY KEY, state varchar(20) DEFAULT 'active' NOT NULL, seen timestamptz DEFAULT now());

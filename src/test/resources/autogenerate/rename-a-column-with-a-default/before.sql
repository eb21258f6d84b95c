CREATE TABLE account (id integer PRIMARY KEY, status varchar(20) DEFAULT 'active' NOT NULL, seen timestamptz DEFAULT now());

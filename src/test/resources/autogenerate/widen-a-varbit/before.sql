CREATE TABLE flags (id integer PRIMARY KEY, bits varbit(8));

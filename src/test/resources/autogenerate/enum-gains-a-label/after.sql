CREATE TYPE level AS ENUM ('beginner', 'intermediate', 'advanced');
CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL, level level NOT NULL DEFAULT 'beginner');

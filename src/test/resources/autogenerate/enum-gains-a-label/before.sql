CREATE TYPE level AS ENUM ('beginner', 'advanced');
CREATE TABLE account (id integer PRIMARY KEY, name varchar(100) NOT NULL, level level NOT NULL DEFAULT 'beginner');

-- What `alembic upgrade 1b40d5775cd1 --sql` emits on PostgreSQL (SQLAlchemy renders an Integer
-- primary key as SERIAL), including Alembic's own bookkeeping table.
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE "user" (
    id SERIAL NOT NULL,
    full_name VARCHAR,
    email VARCHAR,
    hashed_password VARCHAR,
    is_active BOOLEAN,
    is_superuser BOOLEAN,
    PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_user_email ON "user" (email);

CREATE INDEX ix_user_full_name ON "user" (full_name);

CREATE INDEX ix_user_id ON "user" (id);

INSERT INTO alembic_version (version_num) VALUES ('1b40d5775cd1');

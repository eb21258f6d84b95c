-- metadata.create_all() of src/test/sqlalchemy/models.py, v1, as src/test/sqlalchemy/dump_ddl.py prints it with
-- Debian's SQLAlchemy 1.4 (CI's SQLAlchemy leg prints it again and compares).
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

CREATE INDEX ix_user_id ON "user" (id);

CREATE INDEX ix_user_full_name ON "user" (full_name);


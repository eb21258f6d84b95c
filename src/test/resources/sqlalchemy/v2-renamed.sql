-- metadata.create_all() of src/test/sqlalchemy/models.py, v2-renamed, as src/test/sqlalchemy/dump_ddl.py prints it with
-- Debian's SQLAlchemy 1.4 (CI's SQLAlchemy leg prints it again and compares).
CREATE TYPE course_level AS ENUM ('beginner', 'intermediate', 'advanced');

CREATE TABLE "user" (
	id SERIAL NOT NULL, 
	full_name VARCHAR, 
	email VARCHAR, 
	hashed_password VARCHAR, 
	is_active BOOLEAN, 
	is_superuser BOOLEAN, 
	display_name VARCHAR(50), 
	PRIMARY KEY (id)
);

CREATE INDEX ix_user_display_name ON "user" (display_name);

CREATE INDEX ix_user_id ON "user" (id);

CREATE INDEX ix_user_full_name ON "user" (full_name);

CREATE UNIQUE INDEX ix_user_email ON "user" (email);

CREATE TABLE course (
	id SERIAL NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	level course_level DEFAULT 'beginner' NOT NULL, 
	max_students INTEGER CONSTRAINT ck_course_max_students_positive CHECK (max_students > 0), 
	owner_id INTEGER NOT NULL, 
	is_public BOOLEAN DEFAULT false NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(owner_id) REFERENCES "user" (id) ON DELETE CASCADE
);

CREATE INDEX ix_course_owner_id ON course (owner_id);


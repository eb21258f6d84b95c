"""Alembic's environment for bench/run: the database comes from ALEMBIC_DATABASE_URL, as the
application's env.py takes it from its settings; no models are imported (upgrade only)."""
import os

from alembic import context
from sqlalchemy import create_engine


def run_migrations_online():
    engine = create_engine(os.environ["ALEMBIC_DATABASE_URL"])
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()

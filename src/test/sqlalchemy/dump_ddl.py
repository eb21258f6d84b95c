"""The DDL that metadata.create_all() runs on PostgreSQL, printed without a database (docs/authoring.md#autogenerate).

    python3 src/test/sqlalchemy/dump_ddl.py v2 > target/model.sql
"""
import sys

from sqlalchemy import create_mock_engine
from sqlalchemy.dialects import postgresql

from models import metadata

dialect = postgresql.dialect(paramstyle="named")  # the default pyformat doubles every % in the SQL


def dump(sql, *multiparams, **params):
    print(str(sql.compile(dialect=dialect)).strip() + ";\n")


metadata(sys.argv[1]).create_all(create_mock_engine("postgresql://", dump), checkfirst=False)

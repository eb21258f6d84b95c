"""CNLearn's SQLAlchemy models, as the application declares them, at three points of its history, for the
author's-loop tests (docs/authoring.md#autogenerate): v1 is the seed "user" table of Alembic revision 1b40d5775cd1;
v2 is a change of the kind Alembic 1.8's autogenerate gets wrong (a new table with an enum, a check and server
defaults, a foreign key and an index; a new column and its index on "user"); v3 adds one more column;
v2-renamed is v2 with "user".nickname renamed to display_name."""
import enum

from sqlalchemy import (Boolean, CheckConstraint, Column, DateTime, Enum, ForeignKey, Integer, MetaData, String,
                        Table, func, text)


class CourseLevel(enum.Enum):
    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"


def metadata(version):
    if version not in ("v1", "v2", "v3", "v2-renamed"):
        raise SystemExit("no model version " + version + ": v1, v2, v3 or v2-renamed")
    meta = MetaData()
    user_columns = [
        Column("id", Integer, primary_key=True, index=True),
        Column("full_name", String, index=True),
        Column("email", String, unique=True, index=True),
        Column("hashed_password", String),
        Column("is_active", Boolean),
        Column("is_superuser", Boolean),
    ]
    if version != "v1":
        nickname = "display_name" if version == "v2-renamed" else "nickname"
        user_columns.append(Column(nickname, String(50), index=True))
    Table("user", meta, *user_columns)
    if version == "v1":
        return meta
    course_columns = [
        Column("id", Integer, primary_key=True),
        Column("title", String(200), nullable=False),
        Column("level", Enum(CourseLevel, name="course_level"), nullable=False, server_default="beginner"),
        Column("max_students", Integer, CheckConstraint("max_students > 0", name="ck_course_max_students_positive")),
        Column("owner_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("is_public", Boolean, nullable=False, server_default=text("false")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]
    if version == "v3":
        course_columns.append(Column("description", String(2000)))
    Table("course", meta, *course_columns)
    return meta

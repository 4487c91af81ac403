"""Alembic is the only way the schema is made, so the migrations must equal the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic import command
from sqlmodel import SQLModel

import moviebook.models  # noqa: F401
from moviebook.config import PROJECT_ROOT
from moviebook.db import make_engine
from tests.support import fresh_postgres_database


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, SQLModel.metadata)


def test_upgrade_head_matches_the_models_on_postgres(pg_engine):
    assert _diff(pg_engine) == []


def test_downgrade_then_upgrade_round_trips():
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["skip_logging"] = True
    with fresh_postgres_database("roundtrip") as url:
        config.attributes["url"] = url
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        engine = make_engine(url)
        with engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == ["alembic_version"]
        command.upgrade(config, "head")
        assert _diff(engine) == []
        engine.dispose()


def test_upgrade_head_matches_the_models_on_sqlite(sqlite_engine):
    assert _diff(sqlite_engine) == []

"""Alembic is the only way the schema is made, so the migrations must equal the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel

import moviebook.models  # noqa: F401
from alembic import command
from moviebook.config import PROJECT_ROOT
from moviebook.db import make_engine
from tests.factories import make_auditorium, make_booking, make_showtime_ahead, make_user
from tests.support import fresh_postgres_database


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, SQLModel.metadata)


def _alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["skip_logging"] = True
    config.attributes["url"] = url
    return config


def test_upgrade_head_matches_the_models_on_postgres(pg_engine):
    assert _diff(pg_engine) == []


def test_downgrade_then_upgrade_round_trips():
    with fresh_postgres_database("roundtrip") as url:
        config = _alembic_config(url)
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


def test_0005_counts_the_seats_of_existing_bookings():
    with fresh_postgres_database("seat_count") as url:
        config = _alembic_config(url)
        command.upgrade(config, "head")
        engine = make_engine(url)
        with Session(engine) as session:  # bookings of 3 seats and of 1 (cancelled), as 0004 knew them
            room = make_auditorium(session, rows=1, seats_per_row=4)
            show = make_showtime_ahead(session, room=room)
            user = make_user(session, "a@example.com")
            ids = [
                make_booking(session, user, show, {"A1": 900, "A2": 900, "A3": 900}).id,
                make_booking(session, user, show, {"A4": 900}, status="cancelled").id,
            ]
            session.commit()
        command.downgrade(config, "0004")
        command.upgrade(config, "head")
        with engine.connect() as conn:
            counts = conn.execute(sa.text("SELECT id, seat_count FROM bookings ORDER BY id")).all()
        assert [tuple(row) for row in counts] == [(ids[0], 3), (ids[1], 1)]
        engine.dispose()

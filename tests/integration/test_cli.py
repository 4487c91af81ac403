"""The command line an operator uses: create-admin against a real PostgreSQL database."""

import os
import subprocess
import sys

from sqlmodel import Session, select

from moviebook.config import PROJECT_ROOT
from moviebook.db import make_engine
from moviebook.models import Movie, User
from moviebook.services.passwords import verify_password
from tests.support import fresh_postgres_database


def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "moviebook.cli", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )


def test_create_admin_from_the_command_line(tmp_path):
    with fresh_postgres_database("cli") as url:
        env = {**os.environ, "DATABASE_URL": url, "MOVIEBOOK_DATA_DIR": str(tmp_path)}
        assert _cli("migrate", env=env).returncode == 0
        done = _cli(
            "create-admin",
            "--email",
            "Ops@Example.com",
            "--name",
            "Ops",
            env={**env, "ADMIN_PASSWORD": "operator password"},
        )
        assert done.returncode == 0, done.stderr
        assert "ops@example.com is an admin" in done.stdout
        refused = _cli("create-admin", "--email", "x@example.com", env={**env, "ADMIN_PASSWORD": "short"})
        assert refused.returncode == 1 and "at least 8" in refused.stderr and "Traceback" not in refused.stderr
        engine = make_engine(url)
        with Session(engine) as session:
            admin = session.exec(select(User).where(User.email == "ops@example.com")).one()
            assert admin.role == "admin" and verify_password("operator password", admin.password_hash)
            assert session.exec(select(User).where(User.email == "x@example.com")).first() is None
        engine.dispose()


def test_prestart_without_demo_data_leaves_an_empty_cinema_and_an_admin(tmp_path):
    with fresh_postgres_database("cli_empty") as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MOVIEBOOK_DATA_DIR": str(tmp_path),
            "SEED_DEMO_DATA": "0",
            "ADMIN_EMAIL": "boss@example.com",
            "ADMIN_PASSWORD": "boss password 1",
        }
        done = _cli("prestart", env=env)
        assert done.returncode == 0, done.stderr
        assert "added 0 auditoriums, 0 movies, 0 showtimes" in done.stdout
        engine = make_engine(url)
        with Session(engine) as session:
            assert [u.email for u in session.exec(select(User))] == ["boss@example.com"]
        engine.dispose()


def test_prestart_refuses_a_weak_admin_password_and_saves_nothing(tmp_path):
    with fresh_postgres_database("cli_weak") as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MOVIEBOOK_DATA_DIR": str(tmp_path),
            "ADMIN_EMAIL": "boss@example.com",
            "ADMIN_PASSWORD": "password",
        }
        refused = _cli("prestart", env=env)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "ADMIN_PASSWORD refused" in refused.stderr and "common" in refused.stderr
        engine = make_engine(url)
        with Session(engine) as session:
            assert session.exec(select(User)).first() is None  # neither the admin nor half a demo cinema
            assert session.exec(select(Movie)).first() is None
        engine.dispose()

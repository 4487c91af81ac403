"""Command line: ``python -m moviebook.cli migrate | seed | prestart | create-admin | redis-url``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from alembic.config import Config

from alembic import command
from moviebook.config import PROJECT_ROOT, get_settings
from moviebook.db import session_scope


def migrate(url: str | None = None) -> None:
    """Bring the database to the newest schema. Alembic is the only way the schema changes."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["skip_logging"] = True
    if url:
        config.attributes["url"] = url
    command.upgrade(config, "head")


def seed() -> int:
    from moviebook.services.errors import DomainError
    from moviebook.services.seeding import seed_demo

    settings = get_settings()
    try:
        with session_scope() as session:
            report = seed_demo(
                session,
                tz=settings.timezone,
                cleaning_buffer_minutes=settings.cleaning_buffer_minutes,
                admin_email=os.environ.get("ADMIN_EMAIL"),
                admin_password=os.environ.get("ADMIN_PASSWORD"),
                # SEED_DEMO_DATA=0: only the first admin; the cinema is set up from the dashboard.
                demo=os.environ.get("SEED_DEMO_DATA", "1").strip().lower() not in ("0", "false", "no"),
            )
    except DomainError as problem:  # a weak ADMIN_PASSWORD or a bad ADMIN_EMAIL: nothing was saved
        print(f"seed: ADMIN_EMAIL / ADMIN_PASSWORD refused: {problem}", file=sys.stderr)
        return 1
    print(f"seed: added {report.auditoriums} auditoriums, {report.movies} movies, {report.showtimes} showtimes")
    if report.admin_email:
        print(f"seed: first admin is {report.admin_email}")
    if report.promo_code:
        print(f"seed: try the promo code {report.promo_code} at checkout (10% off, once per customer)")
    if report.generated_password:
        # Printed once and never stored in clear: whoever ran the seed must note it now.
        print(f"seed: generated admin password (shown only this once): {report.generated_password}")
    return 0


def create_admin(email: str, name: str) -> int:
    """Ask for the password without echoing it, so it never lands in the shell history."""
    from moviebook.services.accounts import create_admin_user
    from moviebook.services.errors import DomainError

    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass(f"Password for {email}: ")
    try:
        with session_scope() as session:
            create_admin_user(session, email=email, name=name, password=password)
    except DomainError as problem:
        print(f"create-admin: {problem}", file=sys.stderr)
        return 1
    print(f"create-admin: {email.strip().lower()} is an admin")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moviebook.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("seed", help="add the demo cinema and a week's programme (idempotent)")
    sub.add_parser("prestart", help="migrate, then seed: what the app needs before it starts")
    sub.add_parser("redis-url", help="print the Redis URL, starting the embedded server if needed")
    admin = sub.add_parser("create-admin", help="create an admin, or promote an existing account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Admin")
    args = parser.parse_args(argv)

    if args.command == "migrate":
        migrate()
    elif args.command == "seed":
        return seed()
    elif args.command == "prestart":
        migrate()
        return seed()
    elif args.command == "redis-url":
        print(get_settings().redis_url)
    elif args.command == "create-admin":
        return create_admin(args.email, args.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

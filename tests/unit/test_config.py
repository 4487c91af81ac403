import pytest

from moviebook.config import Settings, normalise_database_url


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in (
        "SITE_URL",
        "PORT",
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "MOVIEBOOK_ENV",
        "HOLD_TTL_SECONDS",
        "CINEMA_TIMEZONE",
        "CINEMA_CURRENCY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOVIEBOOK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_defaults_need_nothing_set(clean_env):
    settings = Settings()
    assert settings.database_url == f"sqlite:///{clean_env / 'moviebook.db'}"
    assert settings.hold_ttl_seconds == 600
    assert settings.timezone.key == "Europe/London"
    assert settings.currency == "GBP"


def test_environment_overrides_the_defaults(clean_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/app")
    monkeypatch.setenv("HOLD_TTL_SECONDS", "120")
    monkeypatch.setenv("CINEMA_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("CINEMA_CURRENCY", "EUR")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg2://u@db:5432/app"
    assert settings.hold_ttl_seconds == 120
    assert settings.timezone.key == "Europe/Berlin"
    assert settings.currency == "EUR"


def test_a_malformed_number_stops_start_up_with_its_name(clean_env, monkeypatch):
    monkeypatch.setenv("HOLD_TTL_SECONDS", "ten minutes")
    with pytest.raises(SystemExit, match="HOLD_TTL_SECONDS"):
        Settings()


def test_secret_key_is_generated_once_and_kept(clean_env):
    first = Settings().secret_key
    again = Settings().secret_key
    assert first == again and len(first) >= 48
    assert (clean_env / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_invent_a_secret(clean_env, monkeypatch):
    monkeypatch.setenv("MOVIEBOOK_ENV", "prod")
    with pytest.raises(SystemExit, match="SECRET_KEY must be set"):
        _ = Settings().secret_key
    assert not (clean_env / "secret_key").exists()


def test_a_short_secret_is_refused(clean_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(SystemExit, match="at least 32"):
        _ = Settings().secret_key


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgresql://a@h/db", "postgresql+psycopg2://a@h/db"),
        ("postgres://a@h/db", "postgresql+psycopg2://a@h/db"),
        ("postgresql+psycopg2://a@h/db", "postgresql+psycopg2://a@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_are_pinned_to_psycopg2(given, expected):
    assert normalise_database_url(given) == expected


def test_local_origins_follow_the_port_when_no_site_is_configured(clean_env, monkeypatch):
    assert Settings().allowed_origins == ["http://localhost:3000", "http://127.0.0.1:3000"]
    monkeypatch.setenv("PORT", "3100")
    assert Settings().allowed_origins == ["http://localhost:3100", "http://127.0.0.1:3100"]
    assert Settings().site_url == "http://localhost:3100"


def test_a_configured_site_is_the_only_allowed_origin(clean_env, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://tickets.example.com/")
    assert Settings().allowed_origins == ["https://tickets.example.com"]
    assert Settings().site_url == "https://tickets.example.com"

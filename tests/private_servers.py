"""Real PostgreSQL and Redis servers of a test's own, on free ports, that the test may stop,
kill and start again without disturbing the servers the rest of the suite shares."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from tests.app_server import free_port

START_TIMEOUT_SECONDS = 30


def _wait(check, what: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


class PrivateRedis:
    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen | None = None

    def _client(self) -> redis.Redis:
        # No retries: redis-py's default would back off for seconds on a refused connection.
        return redis.Redis(port=self.port, socket_timeout=0.5, retry=Retry(NoBackoff(), 0))

    def _answers(self) -> bool:
        try:
            return bool(self._client().ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        self._process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
                "--logfile",
                str(self.folder / "redis.log"),
            ],
        )
        _wait(self._answers, "the private Redis")

    def shutdown_nosave(self) -> None:
        """What an operator's restart does: everything in memory is gone."""
        try:
            self._client().shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it goes
        if self._process is not None:
            self._process.wait(timeout=10)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    folder = Path(tempfile.mkdtemp(prefix="mb-redis-"))
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed (apt-get install postgresql)")
    return found[-1].parent


class PrivatePostgres:
    """A cluster of its own (initdb), run as the postgres user when the tests run as root,
    since PostgreSQL refuses to run as root.

    ``data`` puts the data directory elsewhere, e.g. on a small disk the test fills up. The
    write-ahead log always stays in ``folder``: a full data disk then makes a write fail
    ("could not extend file", an ERROR the client sees), where a full WAL disk would make the
    server PANIC and restart, which is the restart fault, not this one."""

    def __init__(self, folder: Path, data: Path | None = None):
        self.folder, self.port = folder, free_port()
        self.data = data or folder / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._bin = _postgres_bin()

    def _run(self, *args: str) -> None:
        command = [str(self._bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # Output to a file, not a pipe: the server pg_ctl starts would hold a pipe open for good.
        with open(self.folder / "pg_ctl.log", "a") as log:
            subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT, timeout=120)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        wal = ["--waldir", str(self.folder / "wal")]
        self._run("initdb", "-D", str(self.data), *wal, "-A", "trust", "-U", "postgres", "--no-sync")

    def _options(self) -> str:
        return f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", self._options(), "-l", str(self.folder / "pg.log"), "-w", "start"
        )

    def restart(self) -> None:
        """A fast restart: every connection is cut, as when the server is restarted for real."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            self._options(),
            "-l",
            str(self.folder / "pg.log"),
            "-m",
            "fast",
            "-w",
            "restart",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped


@contextmanager
def private_postgres(data: Path | None = None) -> Iterator[PrivatePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="mb-pg-"))
    folder.chmod(0o755)
    server = PrivatePostgres(folder, data)
    server.init()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def small_disk(megabytes: int) -> Iterator[Path]:
    """A tmpfs of ``megabytes`` of its own, mounted for the test and unmounted after: a disk
    that fills up for real ("No space left on device") without touching the machine's.
    Mounting needs root (CI runs as root); where it is refused the test fails saying why,
    rather than skipping and proving nothing."""
    mount = Path(tempfile.mkdtemp(prefix="mb-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0755", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        mount.rmdir()
        raise RuntimeError(
            f"could not mount a {megabytes} MB tmpfs for the disk-full test (it needs root, or "
            f"CAP_SYS_ADMIN in a container): {mounted.stderr.strip() or mounted.returncode}"
        )
    try:
        if os.geteuid() == 0:
            shutil.chown(mount, "postgres", "postgres")  # the server's data directory goes here
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)
        mount.rmdir()


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk`` with one file; removing the file frees them again."""
    filler = disk / "filler"
    space = os.statvfs(disk)
    with open(filler, "wb") as out:
        os.posix_fallocate(out.fileno(), 0, space.f_bavail * space.f_frsize)
    if os.statvfs(disk).f_bavail:
        raise RuntimeError(f"{disk} still has room after filling it")
    return filler

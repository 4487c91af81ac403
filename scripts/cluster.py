"""Several independent Moviebook instances behind nginx on one machine.

    python -m scripts.cluster run           # what scripts/run_cluster.sh runs
    python -m scripts.cluster render-site --static-root DIR --routes FILE --out FILE

How it fits together:
- The frontend is built **once**, by ``reflex export --frontend-only --no-zip``, into its own
  web folder (``REFLEX_WEB_WORKDIR``), so it never races ``scripts/run.sh`` or the browser
  tests over ``.web``. The build bakes in the public URL (``REFLEX_API_URL``): the
  websocket is ``ws://<balancer>/_event``.
- nginx serves that build from disk and proxies Reflex's backend endpoints (``/_event``
  with websocket upgrade, ``/_upload``, ``/ping``, ``/_health``, ``/_all_routes``) to the
  instances, round-robin. Its site comes from ``scripts/lb/moviebook.conf.template``, the
  same template the Docker image uses.
- Each instance is ``reflex run --env prod --backend-only`` on its own port: its own
  process group and granian workers, sharing PostgreSQL and Redis with the others, and the
  same ``SECRET_KEY`` (or key file in ``MOVIEBOOK_DATA_DIR``). It trusts one proxy hop of
  ``X-Forwarded-For`` (``REFLEX_TRUSTED_PROXY_HOPS=1``), so rate limits and the audit log
  see the visitor's address, not the balancer's, and it listens on 127.0.0.1 only, so
  nobody can reach it around the balancer with a made-up header.

``tests/cluster.py`` starts the same thing for tests and benchmarks.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LB_TEMPLATES = ROOT / "scripts" / "lb"
SITE_TEMPLATE = LB_TEMPLATES / "moviebook.conf.template"
MAIN_TEMPLATE = LB_TEMPLATES / "nginx.conf.template"
START_TIMEOUT_SECONDS = 300  # an instance imports the app and evaluates every page first
BUILD_TIMEOUT_SECONDS = 900  # a cold build runs npm install
_PLACEHOLDER = re.compile(r"\$\{(MOVIEBOOK_[A-Z_]+)\}")


# ---------------------------------------------------------------------------------- config


def render(template: str, values: Mapping[str, str], *, complete: bool = True) -> str:
    """Fill the ``${MOVIEBOOK_...}`` placeholders named in ``values``; nginx's own ``$vars``
    are left alone. ``complete`` demands that none is left over."""

    def fill(match: re.Match) -> str:
        return values.get(match.group(1), match.group(0))

    text = _PLACEHOLDER.sub(fill, template)
    if complete and (left := sorted(set(_PLACEHOLDER.findall(text)))):
        raise ValueError(f"no value given for {', '.join(left)}")
    return text


def spa_route_regex(routes: Iterable[str]) -> str:
    """One nginx (PCRE) regex for the build's dynamic routes, e.g. ``showtimes/[showtime_id]``
    as ``/showtimes/<anything but a slash>``. Static routes are prerendered files instead."""
    patterns = []
    for route in routes:
        if "[" not in route:
            continue
        pattern = ""
        for segment in route.strip("/").split("/"):
            if segment.startswith("[[..."):
                pattern += "(?:/.*)?"  # optional catch-all
            elif segment.startswith("[..."):
                pattern += "/.+"  # catch-all
            elif segment.startswith("["):
                pattern += "/[^/]+"
            else:
                pattern += "/" + re.escape(segment)
        patterns.append(pattern)
    if not patterns:
        return "(?!)"  # matches nothing
    return "^(?:" + "|".join(sorted(patterns)) + ")/?$"


def build_time_values(static_root: Path | str, routes_file: Path) -> dict[str, str]:
    """The placeholders a frontend build decides: where it is, and which routes are dynamic."""
    return {
        "MOVIEBOOK_STATIC_ROOT": str(static_root),
        "MOVIEBOOK_SPA_ROUTES": spa_route_regex(json.loads(routes_file.read_text())),
    }


def upstream_lines(backends: Iterable[str]) -> str:
    """nginx ``server`` lines for instances at ``host:port``; a failed one rests for 5 s."""
    return " ".join(f"server {backend} max_fails=1 fail_timeout=5s;" for backend in backends)


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if found is None:
        raise RuntimeError(
            "nginx is not installed: apt-get install -y nginx (scripts/ensure_services.sh and "
            "scripts/run_cluster.sh install it when run as root)"
        )
    return found


def _mime_types(nginx: str) -> str:
    """``mime.types`` beside the configuration nginx was built for (Debian: /etc/nginx)."""
    info = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
    match = re.search(r"--conf-path=(\S+)", info)
    path = Path(match.group(1)).parent / "mime.types" if match else Path("/etc/nginx/mime.types")
    if not path.exists():
        raise RuntimeError(f"nginx's mime.types is not at {path}")
    return str(path)


# ------------------------------------------------------------------------------- processes


def _wait_for_ping(url: str, alive, describe, timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"{describe()} exited before it answered {url}/ping")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{describe()} did not answer {url}/ping within {timeout:.0f}s")


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group (a zombie is dead, just not yet reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (name) state ppid pgrp ...": the name may hold spaces, so split after it.
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except OSError:
            continue  # it ended meanwhile
        if int(pgrp) == pgid and state not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return sorted(found)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _wait_group_gone(proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None and not group_members(proc.pid):
            return True
        time.sleep(0.1)
    return False


def end_group(proc: subprocess.Popen, first: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Stop a process and every process of its group (it leads its own session): workers
    left behind by a leader that already died included. Raises if any will not die, rather
    than leave one running against a database or Redis that someone else uses next."""
    _signal_group(proc.pid, first)
    if _wait_group_gone(proc, timeout):
        return
    _signal_group(proc.pid, signal.SIGKILL)
    if not _wait_group_gone(proc, 10):
        raise RuntimeError(f"processes {group_members(proc.pid)} of group {proc.pid} would not die")


def _log_tail(path: Path, chars: int = 4000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"


def _with_application_name(database_url: str, name: str) -> str:
    """PostgreSQL shows which instance holds a connection (pg_stat_activity.application_name)."""
    if not database_url.startswith(("postgresql", "postgres:")) or "application_name=" in database_url:
        return database_url
    return f"{database_url}{'&' if '?' in database_url else '?'}application_name={name}"


@dataclass
class Instance:
    """One app instance: ``reflex run --env prod --backend-only`` in its own process group.

    ``kill()`` (SIGKILL by default, to the whole group: the reflex process and its granian
    workers) and ``start()`` again on the same port are what a fault test needs."""

    name: str
    port: int
    env: dict[str, str]
    log: Path
    host: str = "127.0.0.1"
    proc: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pgid(self) -> int:
        """The process group of the instance: the reflex process leads it, workers join it."""
        assert self.proc is not None, f"{self.name} was never started"
        return self.proc.pid

    def pids(self) -> list[int]:
        """Every live process of the instance (reflex, granian's supervisor and workers)."""
        return group_members(self.pgid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        """Launch the instance (again); ``wait_until_up()`` waits for it to serve."""
        if self.alive():
            raise RuntimeError(f"{self.name} is already running")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "a") as out:
            out.write(f"\n--- {self.name}: starting on port {self.port} at {time.strftime('%H:%M:%S')} ---\n")
            out.flush()
            self.proc = subprocess.Popen(
                ["reflex", "run", "--env", "prod", "--backend-only"]
                + ["--backend-port", str(self.port), "--backend-host", self.host],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # one group per instance: stop or kill it all at once
            )

    def wait_until_up(self, timeout: float = START_TIMEOUT_SECONDS) -> None:
        _wait_for_ping(
            self.url,
            self.alive,
            lambda: f"instance {self.name} (exit code {self.proc.poll()}); its log:\n{_log_tail(self.log)}",
            timeout,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to every process of the instance at once (default: ``kill -9``); for
        SIGKILL, return once every one of them is gone."""
        if sig != signal.SIGKILL:
            os.killpg(self.pgid, sig)
            return
        end_group(self.proc, signal.SIGKILL, timeout=10)

    def stop(self) -> None:
        if self.proc is not None:
            end_group(self.proc)


@dataclass
class LoadBalancer:
    """nginx in the foreground, its configuration and logs in ``directory``."""

    listen: str  # "8080" or "127.0.0.1:8080"
    backends: list[str]  # "127.0.0.1:8001", ...
    static_root: Path
    routes_file: Path
    directory: Path
    proc: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def config(self) -> Path:
        return self.directory / "nginx.conf"

    @property
    def access_log(self) -> Path:
        return self.directory / "access.log"

    @property
    def error_log(self) -> Path:
        return self.directory / "error.log"

    def write_config(self, nginx: str) -> None:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.directory / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        site = render(
            SITE_TEMPLATE.read_text(),
            {
                **build_time_values(self.static_root, self.routes_file),
                "MOVIEBOOK_LISTEN": self.listen,
                "MOVIEBOOK_UPSTREAM": upstream_lines(self.backends),
                "MOVIEBOOK_RESOLVER": "",  # the instances are addresses, not names
            },
        )
        (self.directory / "moviebook.conf").write_text(site)
        main = render(
            MAIN_TEMPLATE.read_text(),
            {
                # As root, workers would otherwise run as "nobody", who may not read the build.
                "MOVIEBOOK_USER": "user root;" if os.geteuid() == 0 else "",
                "MOVIEBOOK_LB_DIR": str(self.directory),
                "MOVIEBOOK_MIME_TYPES": _mime_types(nginx),
            },
        )
        self.config.write_text(main)

    def start(self) -> None:
        nginx = nginx_binary()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.write_config(nginx)
        base = [nginx, "-p", str(self.directory), "-e", str(self.error_log), "-c", str(self.config)]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration {self.config}:\n{check.stderr}")
        with open(self.directory / "nginx.out", "a") as out:
            self.proc = subprocess.Popen(
                [*base, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_until_up(self, url: str) -> None:
        _wait_for_ping(url, self.alive, lambda: f"nginx; its error log:\n{_log_tail(self.error_log)}", timeout=60)

    def stop(self) -> None:
        if self.proc is not None:
            end_group(self.proc, timeout=10)  # SIGTERM: nginx's fast shutdown


@dataclass
class Cluster:
    url: str  # the balancer: what people open
    instances: list[Instance]
    lb: LoadBalancer
    web_dir: Path  # the frontend build (its .web folder)


# -------------------------------------------------------------------------------- building


def build_frontend(env: Mapping[str, str], public_url: str, web_dir: Path, log: Path) -> Path:
    """``reflex export --frontend-only`` for ``public_url`` into ``web_dir``; returns the static
    folder. The build is bound to that URL (and its port)."""
    build_env = {
        **env,
        "REFLEX_WEB_WORKDIR": str(web_dir),
        "REFLEX_API_URL": public_url,  # env.json: ws://<balancer>/_event, http://<balancer>/_upload
        "REFLEX_DEPLOY_URL": public_url,  # absolute links, e.g. in sitemap.xml
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        result = subprocess.run(
            ["reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
            cwd=ROOT,
            env=build_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=BUILD_TIMEOUT_SECONDS,
        )
    static = web_dir / "build" / "client"
    if result.returncode != 0 or not (static / "index.html").exists():
        raise RuntimeError(f"the frontend build failed ({result.returncode}):\n{_log_tail(log)}")
    built_for = json.loads((web_dir / "env.json").read_text())["EVENT"]
    if not built_for.startswith(public_url.replace("http", "ws", 1)):
        raise RuntimeError(f"the build talks to {built_for}, not to {public_url}")
    return static


def instance_env(env: Mapping[str, str], name: str, public_url: str, public_port: int, web_dir: Path) -> dict:
    out = {
        **env,
        "REFLEX_WEB_WORKDIR": str(web_dir),  # the backend keeps a small page list in <web>/backend
        "REFLEX_API_URL": public_url,
        "REFLEX_TRUSTED_PROXY_HOPS": env.get("REFLEX_TRUSTED_PROXY_HOPS", "1"),  # nginx
        "DATABASE_URL": _with_application_name(env["DATABASE_URL"], f"moviebook-{name}"),
    }
    if not env.get("SITE_URL"):
        # Without SITE_URL the app accepts http://localhost:PORT and 127.0.0.1:PORT (CORS);
        # the port people use is the balancer's.
        out["PORT"] = str(public_port)
    return out


@contextmanager
def running_cluster(
    env: Mapping[str, str],
    *,
    public_port: int,
    instance_ports: list[int],
    work_dir: Path,
    web_dir: Path,
    listen_host: str = "",
    build: bool = True,
) -> Iterator[Cluster]:
    """Build the frontend (unless ``build`` is False and ``web_dir`` holds a build for this
    URL), start one instance per port and nginx in front; stop them all afterwards.

    ``env`` must name a shared ``DATABASE_URL`` and ``REDIS_URL`` (migrated and seeded)."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not env.get(name):
            raise RuntimeError(f"{name} must point at a server all instances share")
    public_url = f"http://localhost:{public_port}"
    work_dir.mkdir(parents=True, exist_ok=True)
    if build:
        build_frontend(env, public_url, web_dir, work_dir / "build.log")
    instances = [
        Instance(
            name=f"instance-{n}",
            port=port,
            env=instance_env(env, f"instance-{n}", public_url, public_port, web_dir),
            log=work_dir / f"instance-{n}.log",
        )
        for n, port in enumerate(instance_ports, start=1)
    ]
    lb = LoadBalancer(
        listen=f"{listen_host}:{public_port}" if listen_host else str(public_port),
        backends=[f"{i.host}:{i.port}" for i in instances],
        static_root=web_dir / "build" / "client",
        routes_file=web_dir / "routes.json",
        directory=work_dir / "nginx",
    )
    with ExitStack() as stack:
        for instance in instances:
            stack.callback(instance.stop)
            instance.start()  # all at once: they start in parallel
        for instance in instances:
            instance.wait_until_up()
        stack.callback(lb.stop)
        lb.start()
        lb.wait_until_up(public_url)
        yield Cluster(public_url, instances, lb, web_dir)


# ------------------------------------------------------------------------------ commands


def _run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    problems = [name for name in ("DATABASE_URL", "REDIS_URL") if not env.get(name, "").strip()]
    if problems or env["DATABASE_URL"].startswith("sqlite"):
        print(
            "run_cluster: set DATABASE_URL (PostgreSQL) and REDIS_URL: every instance shares them, "
            "and the quick start's SQLite file and embedded Redis serve one instance only. For example:\n"
            "  createdb -h 127.0.0.1 -U postgres moviebook\n"
            "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/moviebook REDIS_URL=redis://127.0.0.1:6379/0 "
            "bash scripts/run_cluster.sh",
            file=sys.stderr,
        )
        return 2
    data_dir = Path(env.get("MOVIEBOOK_DATA_DIR") or ROOT / "data")
    work_dir = data_dir / "cluster"
    ports = [args.instance_port + n for n in range(args.instances)]
    print(f"run_cluster: migrating and seeding {env['DATABASE_URL'].split('@')[-1]} ...", flush=True)
    subprocess.run([sys.executable, "-m", "moviebook.cli", "prestart"], cwd=ROOT, env=env, check=True)
    print(
        f"run_cluster: building the frontend once for http://localhost:{args.port} into {args.web_dir} ...", flush=True
    )

    stopping = []

    def stop(signum, _frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.monotonic()
    try:
        with running_cluster(
            env, public_port=args.port, instance_ports=ports, work_dir=work_dir, web_dir=args.web_dir
        ) as cluster:
            for instance in cluster.instances:
                print(f"run_cluster: {instance.name} serves {instance.url} (log: {instance.log})")
            print(
                f"run_cluster: {len(ports)} instances behind nginx after {time.monotonic() - started:.0f}s; "
                f"open {cluster.url}  (nginx logs: {cluster.lb.directory}; Ctrl-C stops everything)",
                flush=True,
            )
            reported = set()
            while True:
                time.sleep(1)
                if not cluster.lb.alive():
                    print(f"run_cluster: nginx stopped; see {cluster.lb.error_log}", file=sys.stderr)
                    return 1
                for instance in cluster.instances:
                    if not instance.alive() and instance.name not in reported:
                        reported.add(instance.name)
                        print(
                            f"run_cluster: {instance.name} exited ({instance.proc.returncode}); nginx sends "
                            f"its visitors to the others. Log: {instance.log}",
                            file=sys.stderr,
                            flush=True,
                        )
    except KeyboardInterrupt:
        print("run_cluster: stopped nginx and every instance", flush=True)
        return 0


def _render_site(args: argparse.Namespace) -> int:
    """The site template with the build's values filled in and the start-time ones left for
    the nginx image's envsubst (used by the Dockerfile)."""
    text = render(SITE_TEMPLATE.read_text(), build_time_values(args.static_root, Path(args.routes)), complete=False)
    Path(args.out).write_text(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.cluster")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="N instances behind nginx (scripts/run_cluster.sh)")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")), help="the public port")
    run.add_argument("--instances", type=int, default=int(os.environ.get("INSTANCES", "2")))
    run.add_argument(
        "--instance-port",
        type=int,
        default=int(os.environ.get("INSTANCE_PORT", "0")) or None,
        help="port of the first instance; the others follow (default: the public port + 1)",
    )
    run.add_argument("--web-dir", type=Path, default=ROOT / ".web-cluster", help="where the frontend is built")
    render_site = commands.add_parser("render-site", help="fill the build-time values of the nginx site")
    render_site.add_argument("--static-root", required=True)
    render_site.add_argument("--routes", required=True, help="the build's routes.json")
    render_site.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.command == "run":
        if args.instances < 1:
            parser.error("--instances must be at least 1")
        args.instance_port = args.instance_port or args.port + 1
        return _run(args)
    return _render_site(args)


if __name__ == "__main__":
    sys.exit(main())

"""Several app instances behind nginx, for tests and benchmarks.

    with running_cluster(env, instances=2, log_dir=tmp) as cluster:
        cluster.url                  # the load balancer: what a browser opens
        cluster.instances[0].url     # one instance, straight (for protocol clients)
        cluster.instances[1].kill()  # kill -9 its whole process group ...
        cluster.instances[1].start(); cluster.instances[1].wait_until_up()  # ... and bring it back

The same machinery as ``scripts/run_cluster.sh`` (``scripts/cluster.py``): the frontend built
once for the balancer's URL, independent ``reflex run --env prod --backend-only`` instances on
free ports, and nginx from the committed template in front. ``env`` is the app's environment
with a shared, migrated ``DATABASE_URL`` and ``REDIS_URL`` (see ``tests.app_server.prestart``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from scripts.cluster import Cluster, Instance
from scripts.cluster import running_cluster as _running_cluster
from tests.app_server import free_port

__all__ = ["Cluster", "Instance", "built_state_schema", "running_cluster"]


def _free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        if (port := free_port()) not in ports:
            ports.append(port)
    return ports


@contextmanager
def running_cluster(
    env: Mapping[str, str], instances: int = 2, log_dir: Path | None = None, *, public_port: int | None = None
) -> Iterator[Cluster]:
    """Build the frontend once (into ``log_dir/.web``), start ``instances`` instances and nginx;
    stop everything after. Logs: ``log_dir/instance-N.log``, ``log_dir/nginx/``."""
    if log_dir is None:
        raise ValueError("running_cluster needs a log_dir for its logs and its frontend build")
    public, *ports = _free_ports(instances + 1)
    with _running_cluster(
        env,
        public_port=public_port or public,
        instance_ports=ports,
        work_dir=log_dir,
        web_dir=log_dir / ".web",
        listen_host="127.0.0.1",
    ) as cluster:
        yield cluster


def built_state_schema(cluster: Cluster) -> str:
    """The cluster build's state schema, which a protocol client must present to connect."""
    text = (cluster.web_dir / "utils" / "context.jsx").read_text()
    return re.search(r'stateSchema = "([0-9a-f]+)"', text).group(1)

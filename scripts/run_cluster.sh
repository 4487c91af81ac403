#!/usr/bin/env bash
# Run several independent Moviebook instances behind nginx, on one public port:
#   DATABASE_URL=postgresql://... REDIS_URL=redis://... bash scripts/run_cluster.sh
#   PORT (default 8080) the balancer's port; INSTANCES (default 2); INSTANCE_PORT (default
#   PORT+1) the first instance's port, the others follow. Every instance shares the database
#   and Redis, so both are required. Migrates and seeds once, builds the frontend once (into
#   .web-cluster/), starts the instances, waits for each, then nginx; Ctrl-C stops them all.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run_cluster: nginx is missing; install it (apt-get install -y nginx) or run this as root" >&2
    exit 1
  fi
  echo "run_cluster: installing nginx ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
exec python -m scripts.cluster run "$@"

#!/usr/bin/env bash
# Make sure the tests' real servers and browser exist on this machine: Chromium, PostgreSQL on
# 127.0.0.1:5432, Redis on 127.0.0.1:6379, and nginx (the cluster tests start their own). Starts
# the servers when installed but stopped, and installs what is missing with apt-get (needs
# root). Quick when everything already runs.
#   --with-faketime  also libfaketime, for scripts/test_at.sh
set -euo pipefail
with_faketime=
for arg in "$@"; do
  case "$arg" in
    --with-faketime) with_faketime=1 ;;
    *) echo "ensure_services: unknown argument $arg" >&2; exit 2 ;;
  esac
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else
    echo "ensure_services: '$*' needs root; install it yourself or run as root" >&2; return 1; fi
}
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
port_open() { timeout 2 bash -c "</dev/tcp/127.0.0.1/$1" 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  echo "ensure_services: nothing answers on port $1" >&2; return 1
}

# Chromium for Playwright (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure_services: installing chromium ..."
  apt_install chromium
fi

# libfaketime, to run the suite at another hour (scripts/test_at.sh)
if [ -n "$with_faketime" ] && ! ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1; then
  echo "ensure_services: installing faketime ..."
  apt_install faketime
fi

# PostgreSQL
if ! port_open 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "ensure_services: installing postgresql ..."
    apt_install postgresql
    fresh_pg=1
  fi
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  if [ -n "${fresh_pg:-}" ]; then
    # A new cluster asks TCP clients for a password; tests log in as postgres/postgres.
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_port 5432
fi

# Redis (tests need a real server; it keeps nothing on disk)
if ! port_open 6379; then
  command -v redis-server >/dev/null || { echo "ensure_services: installing redis ..."; apt_install redis-server; }
  mkdir -p /tmp/moviebook-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/moviebook-redis --logfile /tmp/moviebook-redis/redis.log
  wait_port 6379
fi
# nginx: only installed here; the cluster tests run their own on free ports (tests/cluster.py).
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "ensure_services: installing nginx ..."
  apt_install nginx
fi
if [ -n "$with_faketime" ]; then
  echo "ensure_services: chromium, postgresql, redis, nginx and faketime are ready"
else
  echo "ensure_services: chromium, postgresql, redis and nginx are ready"
fi

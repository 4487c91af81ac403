#!/usr/bin/env bash
# Set up everything, then run the whole test suite: unit, integration (real PostgreSQL and
# Redis) and end-to-end (the production build in Chromium).
#   Extra arguments go to pytest, e.g.  bash scripts/test.sh tests/unit/test_layouts.py -k aisle
#   TEST_DATABASE_URL / TEST_REDIS_URL point at other servers (then nothing is started here).
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh
if [ -z "${TEST_DATABASE_URL:-}" ] && [ -z "${TEST_REDIS_URL:-}" ]; then
  bash scripts/ensure_services.sh
fi
exec python -m pytest "$@"

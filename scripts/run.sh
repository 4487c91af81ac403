#!/usr/bin/env bash
# Run Moviebook: set up, migrate, seed, build the production frontend and serve it.
#   PORT (default 3000), DATABASE_URL and REDIS_URL (default: embedded SQLite and Redis).
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh
python -m moviebook.cli prestart
PORT="${PORT:-3000}"
echo "Moviebook: starting on http://localhost:$PORT (the first build runs npm install and takes a few minutes)"
exec reflex run --env prod --single-port --frontend-port "$PORT"

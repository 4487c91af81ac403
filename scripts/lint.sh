#!/usr/bin/env bash
# The linter, as CI runs it: ruff's checks (pycodestyle, pyflakes, import order, bugbear, line
# length; configured in ruff.toml) and its formatter in check mode. Fix with:
#   ruff check --fix . && ruff format .
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh
ruff check .
ruff format --check .

#!/usr/bin/env bash
# Run the test suite as if the cinema-local clock read a given time, to prove the suite passes
# at any hour: late at night, across midnight, across a daylight-saving change.
#   bash scripts/test_at.sh "2026-12-05 23:50"                  # the whole suite
#   bash scripts/test_at.sh "2027-03-28 00:50" tests/e2e -x     # extra arguments go to pytest
# The time is cinema-local (CINEMA_TIMEZONE, Europe/London by default).
#
# How: the set-up runs normally first (pip and npm see the real date). Then pytest runs under
# libfaketime with one RELATIVE offset, computed once here, so "now" starts at the given time
# and then runs on at the normal pace, in pytest and in every process it starts (the app and its
# workers, Chromium) alike. An absolute "@" time would restart the clock at that instant in each
# new process, and the app and the tests would disagree by minutes.
#   - node, npm and npx are not faked: the frontend build and npm's TLS see the real date. They
#     are reached through shims that start them without LD_PRELOAD. (FAKETIME_SKIP_CMDS=node
#     would be the obvious way, but with libfaketime 0.9.10 a skipped node aborts in V8 at its
#     first timer.) Playwright's own driver is a node too, started by path: it is faked, and so
#     is the Chromium it starts, which must agree with the app about "now" (hold countdowns);
#   - monotonic clocks are shifted by the same constant (they only ever measure intervals);
#     FAKETIME_DONT_FAKE_MONOTONIC would be tidier, but libfaketime 0.9.10 then fails Python's
#     time.sleep (clock_nanosleep on an absolute monotonic time) with EINVAL;
#   - file times are not shifted (NO_FAKE_STAT);
#   - the PostgreSQL and Redis servers keep real time: the app takes every timestamp from Python
#     and hands Redis relative TTLs only.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ $# -lt 1 ]; then
  echo 'usage: bash scripts/test_at.sh "YYYY-MM-DD HH:MM" [pytest arguments]' >&2
  exit 2
fi
target="$1"
shift

bash scripts/setup.sh
if [ -z "${TEST_DATABASE_URL:-}" ] && [ -z "${TEST_REDIS_URL:-}" ]; then
  bash scripts/ensure_services.sh --with-faketime
fi

lib="${LIBFAKETIME:-}"
if [ -z "$lib" ]; then
  # The thread-safe build: the tests, the app and Chromium all run many threads.
  for candidate in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1 \
    /usr/local/lib/faketime/libfaketimeMT.so.1; do
    if [ -e "$candidate" ]; then lib="$candidate"; break; fi
  done
fi
if [ -z "$lib" ] || [ ! -e "$lib" ]; then
  echo "test_at: libfaketime not found; install it (apt-get install faketime) or set LIBFAKETIME" >&2
  exit 1
fi

# Seconds from now to the target instant, in the cinema's zone as the app reads it.
offset="$(python - "$target" <<'PY'
import sys
import time
from datetime import datetime, timezone

from moviebook.config import Settings

tz = Settings().timezone
try:
    wall = datetime.fromisoformat(sys.argv[1])
except ValueError:
    sys.exit(f"test_at: {sys.argv[1]!r} is not a date and time like 2026-12-05 23:50")
if wall.tzinfo is not None:
    sys.exit("test_at: give the cinema-local time without a zone")
local = wall.replace(tzinfo=tz)
if local.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) != wall:
    sys.exit(f"test_at: {wall:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks skip it)")
print(round(local.timestamp() - time.time()))
PY
)"

# node, npm and npx on PATH run in real time: these shims come first and drop the preload.
shims="$ROOT/.venv/real-time-bin"
mkdir -p "$shims"
for tool in node npm npx; do
  real="$(command -v "$tool")"
  printf '#!/bin/sh\nexec env -u LD_PRELOAD -u FAKETIME "%s" "$@"\n' "$real" > "$shims/$tool"
  chmod +x "$shims/$tool"
done
export PATH="$shims:$PATH"

export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
export FAKETIME="$( [ "$offset" -ge 0 ] && echo "+$offset" || echo "$offset" )"
export NO_FAKE_STAT=1

# Say what the clock reads now, from inside the faked world, and stop if it is not faked.
python - "$target" <<'PY'
import os
import sys
from datetime import datetime, timezone

from moviebook.config import Settings

tz = Settings().timezone
now = datetime.now(timezone.utc).astimezone(tz)
wanted = datetime.fromisoformat(sys.argv[1]).replace(tzinfo=tz)
print(f"test_at: the clock reads {now:%a %Y-%m-%d %H:%M:%S %Z} in {tz.key} (FAKETIME={os.environ['FAKETIME']} s)")
if abs((now - wanted).total_seconds()) > 120:
    sys.exit("test_at: libfaketime did not shift the clock; is LD_PRELOAD allowed here?")
PY
real_now=$(( $(date +%s) - offset ))  # date is faked here; node must not be
node -e 'if (Math.abs(Date.now() / 1000 - Number(process.argv[1])) > 120) process.exit(1)' "$real_now" \
  || { echo "test_at: node must see the real date but does not" >&2; exit 1; }
exec python -m pytest "$@"

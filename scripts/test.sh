#!/usr/bin/env bash
# Set up .venv with every dependency and run the whole test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/setup.sh dev
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"

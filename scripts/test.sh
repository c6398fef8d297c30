#!/usr/bin/env bash
# Set up a virtual environment with every dependency (pinned by constraints.txt) and run the whole
# test suite. Works on a fresh machine that has Python 3.11+ and pip. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e '.[dev]'
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"

#!/usr/bin/env bash
# Set up a virtual environment and run klynge's main job: for now, a tour of the landscape from the
# command line. Pass --lang da for Danish.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e .
exec .venv/bin/klynge tour "$@"

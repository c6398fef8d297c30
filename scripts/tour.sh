#!/usr/bin/env bash
# Set up .venv and run klynge's main job: a tour of every capability (pass --lang da for Danish).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/klynge tour "$@"

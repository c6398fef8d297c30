#!/usr/bin/env bash
# Install the Debian packages klynge's tests and benchmarks use: wrk and hey (load tests against
# 127.0.0.1), chromium (browser tests), the libraries WeasyPrint loads to lay out the factsheet's
# PDF (Pango, HarfBuzz's subsetter, a font) and poppler-utils (pdftoppm/pdftotext, which the
# factsheet's tests use to read the PDF back). Idempotent: does nothing when they are present.
# Needs root (or sudo) and Debian's package registry; prints what it could not do and goes on,
# so that the Python-only parts still work on machines without apt.
# Usage: scripts/setup-system.sh [serve]   ("serve": only what the running platform needs, i.e.
# WeasyPrint's libraries for the factsheet PDF; no browser, load tools or poppler).
set -uo pipefail
want=()
if [ "${1:-}" != "serve" ]; then
  command -v wrk >/dev/null 2>&1 || want+=(wrk)
  command -v hey >/dev/null 2>&1 || want+=(hey)
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || want+=(poppler-utils)
fi
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$lib" >/dev/null 2>&1 || want+=("$lib")
done
[ ${#want[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: apt-get not found; install ${want[*]} yourself" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${want[@]}" >/tmp/klynge-apt.log 2>&1; then
  $SUDO apt-get update >>/tmp/klynge-apt.log 2>&1
  $SUDO apt-get install -y --no-install-recommends "${want[@]}" >>/tmp/klynge-apt.log 2>&1 \
    || { echo "setup-system: could not install ${want[*]} (see /tmp/klynge-apt.log)" >&2; exit 0; }
fi

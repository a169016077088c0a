#!/usr/bin/env bash
# `npm run bench [-- names...] [--out DIR] [--list]`: installs what is missing (the benchmarks'
# baselines need the Python venv), then runs every benchmark of bench/suite.ts and writes the
# results table (markdown + JSON, with the machine description) under var/bench/. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node --import tsx scripts/bench.ts "$@"

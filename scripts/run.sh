#!/usr/bin/env bash
# Install, migrate, seed the demo and serve Civitas on http://localhost:8000 with its
# task worker, on the embedded defaults (SQLite, huey on SQLite). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

PY=.venv/bin/python
BIND="${CIVITAS_BIND:-localhost:8000}"
# Links in e-mails name the organization's host and this port (never the request's Host).
export CIVITAS_LINK_PORT="${CIVITAS_LINK_PORT:-${BIND##*:}}"
echo "==> Preparing the database"
$PY manage.py migrate --noinput -v0
$PY manage.py createcachetable
$PY manage.py collectstatic --noinput -v0
echo "==> Seeding the demo organization"
$PY manage.py seed_demo

echo "==> Starting the task worker (huey)"
$PY manage.py run_huey --quiet &
HUEY_PID=$!
trap 'kill $HUEY_PID 2>/dev/null || true' EXIT INT TERM

echo "==> Serving on http://${BIND}  (Ctrl+C to stop)"
.venv/bin/gunicorn civitas.wsgi --bind "${BIND}" \
  --workers "${WEB_CONCURRENCY:-2}" --threads 4 --access-logfile - --graceful-timeout 5

#!/usr/bin/env bash
# Serves the app with a real Celery worker and beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/celery/queue var/celery/processed

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 --hostname="beheer@%h" &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO &
pids+=($!)

cat <<TXT

  Beheermodule: http://127.0.0.1:8000/
  Demo log-ins: see README.md ("Demo log-ins"); every demo password is 'demo-wachtwoord'.
  Support (Django admin): http://127.0.0.1:8000/admin/  (support / demo-wachtwoord)

TXT
$PY manage.py runserver 127.0.0.1:8000 &
pids+=($!)
wait -n "${pids[@]}"

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
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # A warm shutdown finishes the running task; whatever still runs after 15 seconds is stopped hard.
  for _ in $(seq 15); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && return
    sleep 1
  done
  for pid in "${pids[@]}"; do pkill -KILL -g "$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
}
trap stop INT TERM EXIT

# Worker and beat in their own process groups: Ctrl-C reaches this script, which shuts them down in order.
setsid .venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 --hostname="beheer@%h" &
pids+=($!)
setsid .venv/bin/celery -A config beat --loglevel=INFO &
pids+=($!)

cat <<TXT

  Beheermodule: http://127.0.0.1:8000/
  Demo log-ins: see README.md ("Demo log-ins"); every demo password is 'demo-wachtwoord'.
  Support (Django admin): http://127.0.0.1:8000/admin/  (support / demo-wachtwoord)

TXT
$PY manage.py runserver 127.0.0.1:8000 &
pids+=($!)
wait -n "${pids[@]}"

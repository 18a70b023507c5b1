"""A real Celery worker process picks up a task and completes it: with Redis (second CI pass) and with the
embedded filesystem broker that `make run` uses."""

import os
import subprocess
import sys
import tempfile

import pytest

from tests.celery_worker import ROOT, ruim_op, start_worker, worker_env


def _send_and_wait(env, value):
    code = (
        f"import django; django.setup();from config.celery_app import ping;print(ping.delay({value}).get(timeout=30))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _roundtrip(env):
    worker = start_worker(env)
    try:
        result = _send_and_wait(env, 41)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "42"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        ruim_op(env)


@pytest.mark.services
def test_real_worker_completes_a_task_through_redis():
    _roundtrip(worker_env(REDIS_URL=os.environ["REDIS_URL"]))


def test_real_worker_completes_a_task_through_the_embedded_broker():
    with tempfile.TemporaryDirectory() as data_dir:
        _roundtrip(worker_env(CELERY_DATA_DIR=data_dir))

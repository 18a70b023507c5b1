"""A real Celery worker process picks up a task and completes it: with Redis (second CI pass) and with the
embedded filesystem broker that `make run` uses."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(env):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _send_and_wait(env, value):
    code = (
        f"import django; django.setup();from config.celery_app import ping;print(ping.delay({value}).get(timeout=30))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_TASK_ALWAYS_EAGER", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.development", CELERY_TASK_ALWAYS_EAGER="false", **extra)
    return env


def _roundtrip(env):
    worker = _start_worker(env)
    try:
        result = _send_and_wait(env, 41)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "42"
    finally:
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.services
def test_real_worker_completes_a_task_through_redis():
    _roundtrip(_env(REDIS_URL=os.environ["REDIS_URL"]))


def test_real_worker_completes_a_task_through_the_embedded_broker():
    with tempfile.TemporaryDirectory() as data_dir:
        env = _env(CELERY_DATA_DIR=data_dir)
        env.pop("REDIS_URL", None)
        _roundtrip(env)

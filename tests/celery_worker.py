"""A real Celery worker process for the tests that need one, on a queue of its own: tests running at the same
time on one Redis (the second CI pass runs in parallel) never take each other's tasks."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]


def worker_env(**extra) -> dict:
    """The environment of a worker and its clients: development settings, tasks really queued, a fresh queue."""
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_TASK_ALWAYS_EAGER", "DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.development",
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_QUEUE=f"test-{uuid.uuid4().hex}",
    )
    env.update(extra)
    return env


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ruim_op(env) -> None:
    """Remove the queue's own keys from Redis (kombu's bindings do not expire); nothing to do on the embedded broker."""
    if not env.get("REDIS_URL"):
        return
    client = redis.Redis.from_url(env["REDIS_URL"])
    wachtrij = env["CELERY_QUEUE"]
    client.delete(wachtrij, f"_kombu.binding.{wachtrij}", f"_kombu.binding_permanent.{wachtrij}")

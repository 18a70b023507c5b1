"""Settings are strict: required secrets, DEBUG off unless asked, bad values fail at start-up,
and the production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "k7Q2x9" * 8,
    "DJANGO_ALLOWED_HOSTS": "beheer.example.nl",
    "EMAIL_URL": "smtp://mail.example.nl:587",
    "SITE_URL": "https://beheer.example.nl",
}


def _clean_env(**env):
    # The test process's own DJANGO_* variables (e.g. the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) stay out.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_URL"))}
    base.update(env)
    return base


def _run(code: str, **env):
    base = _clean_env(**env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)


SETUP = "import django; from django.conf import settings; django.setup(); "


def test_production_passes_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_secret_key_is_required_outside_development():
    env = dict(PRODUCTION)
    del env["DJANGO_SECRET_KEY"]
    result = _run(SETUP, **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked():
    result = _run(SETUP + "print(settings.DEBUG)", **{**PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings.base"})
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_bad_boolean_fails_at_start_up():
    result = _run(SETUP, **{**PRODUCTION, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_a_bad_database_url_fails_at_start_up():
    result = _run(
        SETUP + "from django.db import connection; connection.ensure_connection()",
        **{**PRODUCTION, "DATABASE_URL": "nosuchdb://x"},
    )
    assert result.returncode != 0


def test_time_zone_and_languages():
    result = _run(
        SETUP + "print(settings.TIME_ZONE, settings.LANGUAGE_CODE, [c for c, _ in settings.LANGUAGES])", **PRODUCTION
    )
    assert result.stdout.strip().splitlines()[-1] == "Europe/Amsterdam nl ['nl', 'en']"

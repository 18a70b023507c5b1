"""Fast, isolated test settings: MD5 hashing, in-memory mail, eager Celery unless a test starts a worker."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-" + "y" * 32)
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["default"]["OPTIONS"]["location"] = tempfile.mkdtemp(prefix="beheer-media-")  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Rate-limit counters per test process: a shared Redis would carry one test's counts into the next. Tests clear
# it between tests (tests/conftest.py).
CACHES = caches_voor("")  # noqa: F405
# One process: the local-memory cache is shared by everything a test runs (the live server's thread, eager Celery),
# so the decisions kept in memory are on, and every test that changes data and asks again checks they are dropped.
REGISTER_BESLISCACHE = True
API_RATE_SYNC_SECONDS = 0  # every request counted in the shared cache at once: the limit is exact
GENERATIE_MAX_LEEFTIJD = 0  # every question reads the generations: exact, as one process sees its own changes
# Each answer's decisions are in the log (and last use recorded) before the test looks.
REGISTER_LOG_BATCH = 1

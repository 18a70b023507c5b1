"""Settings for `make run` on a developer's machine: debug on, a throw-away key when none is given."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "development-only-not-secret-" + "x" * 32)

from .base import *  # noqa: E402,F403

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")  # noqa: F405
vars().update(EMAIL_CONFIG)

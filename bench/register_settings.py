"""Settings of the gunicorn processes `bench.benchmarks.register_api` starts: the test settings, but with the
caches and the timings a deployment has (config.settings.base). With REDIS_URL every worker shares Redis (rate
limits, generations) and keeps the register's answers in memory as production does; without it each worker has
its own local memory, so the answers are not kept (one worker could not see another's change)."""

from config.settings.test import *  # noqa: F403

# isort: split
from config.settings import base  # after the test settings, which give the secret key base needs

CACHES = caches_voor(REDIS_URL)  # noqa: F405
REGISTER_BESLISCACHE = bool(REDIS_URL)  # noqa: F405
REGISTER_LOG_BATCH = base.REGISTER_LOG_BATCH
GENERATIE_MAX_LEEFTIJD = base.GENERATIE_MAX_LEEFTIJD
API_RATE_SYNC_SECONDS = base.API_RATE_SYNC_SECONDS

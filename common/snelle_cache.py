"""One round trip where Django's cache API needs several, for the counters read and moved on every API answer.

Django's RedisCache increments with EXISTS + INCR and builds a new redis client for every call; the rate limit
and the generations need "increment, and start the window if new" and "read these numbers" once per answer. For
a Redis cache this module keeps one redis-py client per process on the same server and uses the cache's own key
names and number format, so `cache.get` and these functions see the same values. For any other backend (local
memory in tests, `make run` without Redis) it answers None and the callers use the cache API.
"""

from __future__ import annotations

from functools import cache as eenmalig

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


@eenmalig
def _client(alias: str) -> redis.Redis | None:
    if not isinstance(caches[alias], RedisCache):
        return None
    locatie = settings.CACHES[alias]["LOCATION"]
    return redis.Redis.from_url(locatie if isinstance(locatie, str) else locatie[0])


def tel(alias: str, sleutel: str, seconden: int, aantal: int = 1) -> int | None:
    """INCRBY the cache key (starting with this expiry when new) in one round trip; None without Redis."""
    client = _client(alias)
    if client is None:
        return None
    volledig = caches[alias].make_and_validate_key(sleutel)
    pipe = client.pipeline(transaction=False)
    pipe.incrby(volledig, aantal)
    pipe.expire(volledig, seconden, nx=True)
    aantal, _gezet = pipe.execute()
    return aantal


def lees_getallen(alias: str, sleutels: list[str]) -> list[int | None] | None:
    """The integers under these cache keys in one MGET (None where missing); None without Redis."""
    client = _client(alias)
    if client is None:
        return None
    cache = caches[alias]
    return [None if w is None else int(w) for w in client.mget([cache.make_and_validate_key(s) for s in sleutels])]

"""common.snelle_cache against a real Redis (the second CI pass): one round trip where Django's cache API needs
several, with the same key names and number format, so `cache.get` and the limits read what it wrote."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from common import generaties, snelle_cache
from common.ratelimit import GebundeldeLimiet, Limiet

pytestmark = pytest.mark.services

ALIAS = "snel-test"


@pytest.fixture
def redis_cache():
    caches_ = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"},
        ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # apart from every other run sharing the server
        },
    }
    with override_settings(CACHES=caches_):
        snelle_cache._client.cache_clear()
        yield caches[ALIAS]
        # Only this test's keys: the cache's clear() empties the whole database, other tests' queues too.
        client = snelle_cache._client(ALIAS)
        if eigen := client.keys(caches[ALIAS].make_key("*")):
            client.delete(*eigen)
    snelle_cache._client.cache_clear()


def test_tel_increments_starts_with_an_expiry_and_django_reads_it(redis_cache):
    assert snelle_cache.tel(ALIAS, "teller", 60) == 1
    assert snelle_cache.tel(ALIAS, "teller", 60, 4) == 5
    assert redis_cache.get("teller") == 5
    client = snelle_cache._client(ALIAS)
    assert 0 < client.ttl(redis_cache.make_and_validate_key("teller")) <= 60


def test_lees_getallen_reads_what_the_cache_api_wrote(redis_cache):
    redis_cache.add("a", 2**61 + 7, None)
    assert snelle_cache.lees_getallen(ALIAS, ["a", "ontbreekt"]) == [2**61 + 7, None]


def test_without_redis_the_callers_use_the_cache_api(redis_cache):
    assert snelle_cache.tel("api", "teller", 60) is None
    assert snelle_cache.lees_getallen("default", ["a"]) is None


def test_a_limit_counted_through_redis(redis_cache, settings):
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_SYNC_SECONDS = 0
    limiet = GebundeldeLimiet(Limiet("snel", "API_RATE_LIMIT", 60, cache_alias=ALIAS), "API_RATE_SYNC_SECONDS")
    assert [limiet.tel_en_weiger("client") for _ in range(3)] == [False, False, True]
    assert limiet.limiet.stand("client") == 3


def test_generations_through_redis(redis_cache, settings, db):
    settings.GENERATIE_CACHE = ALIAS
    settings.GENERATIE_MAX_LEEFTIJD = 0
    voor = generaties.huidig(generaties.REGISTER)
    assert voor is not None and generaties.huidig(generaties.REGISTER) == voor  # a fresh number, then kept
    generaties.verhoog(generaties.REGISTER)
    assert generaties.huidig(generaties.REGISTER) == (voor[0] + 1,)

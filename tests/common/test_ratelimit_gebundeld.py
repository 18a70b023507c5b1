"""The API's rate limit counted per process and added to the shared counter at most every API_RATE_SYNC_SECONDS
(common.ratelimit.GebundeldeLimiet): refused once the shared count last seen plus the own count reaches the limit."""

from django.core.cache import caches

from common.ratelimit import GebundeldeLimiet, Limiet


def _limiet():
    return GebundeldeLimiet(Limiet("test-gebundeld", "API_RATE_LIMIT", 60, cache_alias="api"), "API_RATE_SYNC_SECONDS")


def test_counted_here_between_synchronisations(settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_SYNC_SECONDS = 60
    limiet = _limiet()
    assert [limiet.tel_en_weiger("client") for _ in range(5)] == [False, False, False, True, True]
    # Only the first was added to the shared counter so far: the rest waits for the next synchronisation.
    assert limiet.limiet.stand("client") == 1


def test_the_shared_count_of_other_processes_counts(settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_SYNC_SECONDS = 0
    hier, daar = _limiet(), _limiet()  # two processes sharing the cache
    assert not daar.tel_en_weiger("client") and not daar.tel_en_weiger("client")
    assert not hier.tel_en_weiger("client")
    assert hier.tel_en_weiger("client")  # 4 in all
    assert hier.limiet.stand("client") == 4


def test_each_client_apart(settings):
    settings.API_RATE_LIMIT = 1
    settings.API_RATE_SYNC_SECONDS = 0
    limiet = _limiet()
    assert not limiet.tel_en_weiger("a") and not limiet.tel_en_weiger("b")
    assert limiet.tel_en_weiger("a")
    caches["api"].clear()

"""Counting attempts per key in a fixed window, in Django's cache (Redis in production, shared by all
workers; local memory in tests). Used for the log-in and recovery limits, where a refusal must not depend on
whether an account exists (the counters are kept for every address and every target alike), and for the API's
limit per client."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from common import snelle_cache


@dataclass(frozen=True)
class Limiet:
    naam: str
    # The setting that holds the number allowed per window, read on each use (so it can be changed per deployment).
    instelling: str
    # The window in seconds, or the name of the setting that holds it.
    seconden: int | str
    cache_alias: str = "default"

    @property
    def aantal(self) -> int:
        return getattr(settings, self.instelling)

    @property
    def venster(self) -> int:
        return getattr(settings, self.seconden) if isinstance(self.seconden, str) else self.seconden

    def _sleutel(self, waarde: str, begin: int) -> str:
        # Hashed: a key holds no e-mail address, and any text (spaces, unicode) makes a valid cache key. The
        # window's number is part of the key, so every process counts in the same window.
        return f"limiet:{self.naam}:{hashlib.sha256(waarde.lower().encode()).hexdigest()}:{begin}"

    def _begin(self) -> int:
        return int(time.time() // self.venster)

    def tel(self, waarde: str, aantal: int = 1) -> int:
        """Count `aantal` attempts; the number in the current window, these included. `incr` is atomic and `add`
        starts the window, so concurrent web processes count together."""
        return self._tel(self._sleutel(waarde, self._begin()), aantal)

    def _tel(self, sleutel: str, aantal: int) -> int:
        snel = snelle_cache.tel(self.cache_alias, sleutel, self.venster + 1, aantal)
        if snel is not None:
            return snel
        cache = caches[self.cache_alias]
        try:
            return cache.incr(sleutel, aantal)
        except ValueError:  # the window's first attempt
            if cache.add(sleutel, aantal, self.venster + 1):
                return aantal
            return cache.incr(sleutel, aantal)  # another process started the window in between

    def rest_seconden(self) -> int:
        """Seconds until the current window ends (for a Retry-After)."""
        return max(1, int((self._begin() + 1) * self.venster - time.time()))

    def stand(self, waarde: str) -> int:
        return caches[self.cache_alias].get(self._sleutel(waarde, self._begin()), 0)

    def overschreden(self, waarde: str) -> bool:
        """Whether the attempts so far already reached the limit (without counting one)."""
        return self.stand(waarde) >= self.aantal

    def tel_en_weiger(self, waarde: str) -> bool:
        """Count one attempt and say whether it goes over the limit."""
        return self.tel(waarde) > self.aantal


class GebundeldeLimiet:
    """A `Limiet` counted per process and added to the shared counter at most every `synchroon` seconds (the
    setting named), for a limit asked on every API answer, where a round trip to the shared cache would cost
    more than the answer. Each process refuses once the shared count it last saw plus its own since reaches the
    limit; all processes together may go over by what each counted within one interval. With the setting at 0,
    every attempt is counted in the shared cache at once (exact, as `Limiet`)."""

    def __init__(self, limiet: Limiet, synchroon: str) -> None:
        self.limiet = limiet
        self.synchroon = synchroon
        self._lock = threading.Lock()
        # waarde -> [window, shared count last seen, counted here since, when last added]
        self._stand: dict[str, list] = {}

    def tel_en_weiger(self, waarde: str) -> bool:
        begin = self.limiet._begin()
        nu = time.monotonic()
        with self._lock:
            stand = self._stand.get(waarde)
            if stand is None or stand[0] != begin:
                if len(self._stand) > 10_000:  # bounded: old windows of clients not seen since
                    self._stand.clear()
                stand = self._stand[waarde] = [begin, 0, 0, float("-inf")]
            stand[2] += 1
            if nu - stand[3] < getattr(settings, self.synchroon):
                return stand[1] + stand[2] > self.limiet.aantal
            eigen, stand[2], stand[3] = stand[2], 0, nu
        gedeeld = self.limiet._tel(self.limiet._sleutel(waarde, begin), eigen)
        with self._lock:
            stand[1] = gedeeld
        return gedeeld > self.limiet.aantal

    def rest_seconden(self) -> int:
        return self.limiet.rest_seconden()

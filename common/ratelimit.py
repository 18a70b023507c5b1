"""Counting attempts per key in a fixed window, in Django's cache (Redis in production, shared by all
workers; local memory in tests). Used for the log-in and recovery limits, where a refusal must not depend on
whether an account exists (the counters are kept for every address and every target alike), and for the API's
limit per client."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


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

    def tel(self, waarde: str) -> int:
        """Count one attempt; the number in the current window, this one included. `add` starts the window and
        `incr` is atomic, so concurrent web processes count together."""
        cache = caches[self.cache_alias]
        sleutel = self._sleutel(waarde, self._begin())
        if cache.add(sleutel, 1, self.venster + 1):
            return 1
        try:
            return cache.incr(sleutel)
        except ValueError:  # expired between add and incr
            cache.add(sleutel, 1, self.venster + 1)
            return 1

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

"""Counting attempts per key in a fixed window, in Django's cache (Redis in production, shared by all
workers; local memory in tests). Used where a refusal must not depend on whether an account exists:
the counters are kept for every address and every target alike."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limiet:
    naam: str
    # The setting that holds the number allowed per window, read on each use (so it can be changed per deployment).
    instelling: str
    seconden: int

    @property
    def aantal(self) -> int:
        return getattr(settings, self.instelling)

    def _sleutel(self, waarde: str) -> str:
        # Hashed: a key holds no e-mail address, and any text (spaces, unicode) makes a valid cache key.
        return f"limiet:{self.naam}:{hashlib.sha256(waarde.lower().encode()).hexdigest()}"

    def tel(self, waarde: str) -> int:
        """Count one attempt; the number in the current window, this one included."""
        sleutel = self._sleutel(waarde)
        if cache.add(sleutel, 1, self.seconden):
            return 1
        try:
            return cache.incr(sleutel)
        except ValueError:  # expired between add and incr
            cache.add(sleutel, 1, self.seconden)
            return 1

    def stand(self, waarde: str) -> int:
        return cache.get(self._sleutel(waarde), 0)

    def overschreden(self, waarde: str) -> bool:
        """Whether the attempts so far already reached the limit (without counting one)."""
        return self.stand(waarde) >= self.aantal

    def tel_en_weiger(self, waarde: str) -> bool:
        """Count one attempt and say whether it goes over the limit."""
        return self.tel(waarde) > self.aantal

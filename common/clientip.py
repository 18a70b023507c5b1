"""The client's address, for lockout and rate limits.

Directly on the internet it is REMOTE_ADDR. Behind a reverse proxy REMOTE_ADDR is the proxy's, and the client's
address is in a header the proxy sets (TRUSTED_PROXY_HEADER, e.g. X-Forwarded-For). That header is believed
only when the request comes from one of TRUSTED_PROXY_IPS, and then only the entry the trusted proxies added
(TRUSTED_PROXY_COUNT from the right): anything further left was written by the client and can be forged.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    adres = request.META.get("REMOTE_ADDR", "") or ""
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if not header or adres not in getattr(settings, "TRUSTED_PROXY_IPS", ()):
        return adres
    waarden = [deel.strip() for deel in request.META.get(header, "").split(",") if deel.strip()]
    aantal = max(1, getattr(settings, "TRUSTED_PROXY_COUNT", 1))
    if len(waarden) < aantal:
        return adres
    return waarden[-aantal]

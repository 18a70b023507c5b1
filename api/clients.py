"""API clients: their tokens (shown once, stored as a hash), revocation, last use and the rate limit.

Tokens are 256 random bits, so one SHA-256 is enough to store them (no slow password hash needed: nothing to
guess), and looking a token up is one indexed query.
"""

import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import ApiClient
from audit.acties import Actie
from audit.services import audit_log
from common import generaties
from common.ratelimit import GebundeldeLimiet, Limiet

TOKEN_VOORVOEGSEL = "bmr_"
# Last use is written at most this often per client, so a busy client does not update its row on every call.
GEBRUIK_INTERVAL_SECONDEN = 60


@functools.lru_cache(maxsize=1_024)  # the tokens asking now: their hash is not worked out on every answer
def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _nieuw_token() -> str:
    return TOKEN_VOORVOEGSEL + secrets.token_urlsafe(32)


def maak_client(*, naam: str, organisatie=None, actor=None) -> tuple[ApiClient, str]:
    """A new client and its token; the token is returned only here and never stored."""
    token = _nieuw_token()
    with transaction.atomic():
        client = ApiClient.objects.create(
            naam=naam, organisatie=organisatie, token_hash=hash_token(token), token_begin=token[:12]
        )
        audit_log(
            actor=actor,
            organisatie=organisatie,
            actie=Actie.API_CLIENT_AANGEMAAKT,
            omschrijving=f"API-client {naam} aangemaakt",
            object=client,
        )
    return client, token


def vernieuw_token(client: ApiClient, *, actor=None) -> str:
    """A new token for the client; the old one stops working at once."""
    token = _nieuw_token()
    with transaction.atomic():
        client.token_hash = hash_token(token)
        client.token_begin = token[:12]
        client.ingetrokken_op = None
        client.save(update_fields=["token_hash", "token_begin", "ingetrokken_op"])
        audit_log(
            actor=actor,
            organisatie=client.organisatie,
            actie=Actie.API_CLIENT_TOKEN_VERNIEUWD,
            omschrijving=f"Token van API-client {client.naam} vernieuwd",
            object=client,
        )
    return token


def trek_in(client: ApiClient, *, actor=None) -> None:
    if client.ingetrokken_op is not None:
        return
    with transaction.atomic():
        client.ingetrokken_op = timezone.now()
        client.save(update_fields=["ingetrokken_op"])
        audit_log(
            actor=actor,
            organisatie=client.organisatie,
            actie=Actie.API_CLIENT_INGETROKKEN,
            omschrijving=f"API-client {client.naam} ingetrokken",
            object=client,
        )


def token_uit_header(waarde: str | None) -> str | None:
    """`Authorization: Bearer <token>`, or the bare token."""
    if not waarde:
        return None
    delen = waarde.strip().split()
    if len(delen) == 2 and delen[0].lower() == "bearer":
        return delen[1]
    if len(delen) == 1:
        return delen[0]
    return None


class _Bekend:
    """The clients this process looked up, by token hash (None: no such client), while no client was written
    since (`common.generaties`): a revoked or renewed token is refused by every process at once."""

    def __init__(self) -> None:
        self.generatie = None
        self.clients: dict[str, tuple[ApiClient | None, float]] = {}  # token hash -> (client, when read)

    def bij(self, generatie) -> dict:
        if generatie != self.generatie or len(self.clients) >= 10_000:  # bounded: unknown tokens are kept too
            self.generatie, self.clients = generatie, {}
        return self.clients


_bekend = _Bekend()


def client_voor_token(token: str | None, *, generatie=None) -> ApiClient | None:
    """The client holding this token, unless revoked: from memory while no client changed, else one query.
    `generatie`: the clients' generation as the request read it (else read here)."""
    if not token:
        return None
    token_hash = hash_token(token)
    if generatie is None:
        gelezen = generaties.huidig(generaties.API_CLIENTS)
        generatie = gelezen[0] if gelezen else None
    bekend = _bekend.bij(generatie) if generatie is not None else {}
    nu = time.monotonic()
    gevonden = bekend.get(token_hash)
    if gevonden is not None and nu - gevonden[1] <= settings.REGISTER_BESLISCACHE_SECONDEN:
        client = gevonden[0]
    else:  # not seen, or aged out (bounds what a revocation nobody heard of can cost, see common.generaties)
        client = ApiClient.objects.filter(token_hash=token_hash, ingetrokken_op__isnull=True).first()
        bekend[token_hash] = (client, nu)
    if client is not None:
        _registreer_gebruik(client)
    return client


def _registreer_gebruik(client: ApiClient) -> None:
    # The kept client remembers when this process last looked (a clock read, not date arithmetic per answer).
    gekeken = time.monotonic()
    if gekeken - getattr(client, "_gebruik_gekeken", float("-inf")) < GEBRUIK_INTERVAL_SECONDEN:
        return
    client._gebruik_gekeken = gekeken
    nu = timezone.now()
    vorige = client.laatst_gebruikt_op
    if vorige is None or (nu - vorige).total_seconds() >= GEBRUIK_INTERVAL_SECONDEN:
        with generaties.stil():  # bookkeeping: the client as kept stays valid
            ApiClient.objects.filter(pk=client.pk).update(laatst_gebruikt_op=nu)
        client.laatst_gebruikt_op = nu


# Requests per client per window, in the shared cache (Redis in production), so web processes count together;
# each process adds its count at most every API_RATE_SYNC_SECONDS.
PER_CLIENT = GebundeldeLimiet(
    Limiet("api-rate", "API_RATE_LIMIT", "API_RATE_WINDOW_SECONDS", cache_alias=settings.API_RATE_CACHE),
    "API_RATE_SYNC_SECONDS",
)


def boven_limiet(client: ApiClient) -> int | None:
    """Count this request in the client's current window: None while within the limit, else the seconds until
    the window ends (for Retry-After). Keyed by the token hash, never the pk, so two databases sharing one Redis
    (tests) do not count each other's clients."""
    return PER_CLIENT.rest_seconden() if PER_CLIENT.tel_en_weiger(client.token_hash) else None

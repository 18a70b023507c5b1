"""SMS backends behind one interface: `send(nummer, tekst) -> message id`.

`DatabaseSmsBackend` (development) keeps every SMS in the database so it can be read in the admin;
`GatewaySmsBackend` posts JSON to an SMS provider over HTTPS. `get_sms_backend()` picks one by `SMS_BACKEND`.
"""

import ipaddress
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from berichten.models import SmsBericht


class SmsNietVerzonden(Exception):
    """The SMS was not accepted (gateway error, non-2xx answer, timeout). Transient: delivery is retried."""


class BaseSmsBackend:
    def send(self, nummer: str, tekst: str) -> str:
        """Send one SMS and return the provider's message id. Raises SmsNietVerzonden when it was not accepted."""
        raise NotImplementedError


class DatabaseSmsBackend(BaseSmsBackend):
    """Development: the SMS is 'sent' by storing it, visible in the admin under SMS'jes (ontwikkeling)."""

    def send(self, nummer: str, tekst: str) -> str:
        sms = SmsBericht.objects.create(nummer=nummer, afzender=settings.SMS_AFZENDER[:20], tekst=tekst)
        return sms.bericht_id


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class GatewaySmsBackend(BaseSmsBackend):
    """A generic JSON-over-HTTPS gateway: POST {"from", "to", "body"} with a Bearer token.

    The answer is expected as JSON with an "id" (or "message_id"); any 2xx without one still counts as
    accepted. Plain http is refused except to a loopback address (local test doubles).
    """

    def __init__(self, *, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout if timeout is not None else settings.SMS_GATEWAY_TIMEOUT
        if not self.url or not self.token:
            raise ImproperlyConfigured("SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN are required for the SMS gateway")
        parts = urlsplit(self.url)
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname or "")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an https:// address")

    def send(self, nummer: str, tekst: str) -> str:
        payload = json.dumps({"from": settings.SMS_AFZENDER, "to": nummer, "body": tekst}).encode()
        request = urllib.request.Request(  # noqa: S310 -- scheme checked in __init__
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 -- scheme checked
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise SmsNietVerzonden(f"SMS-gateway antwoordde HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reden = getattr(exc, "reason", exc)
            raise SmsNietVerzonden(f"SMS-gateway niet bereikbaar: {reden}") from exc
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            data = {}
        if isinstance(data, dict):
            return str(data.get("id") or data.get("message_id") or "")
        return ""


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()

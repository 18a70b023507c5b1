"""The KvK API client (developers.kvk.nl): Zoeken v2 and Basisprofiel v1, with the standard library only.

Every way the API can fail (no connection, timeout, 5xx, 429, an answer we cannot read) becomes the one
"niet bereikbaar" refusal; the details go to the log, never to the person. 401/403 means our key is wrong,
which the person cannot fix either, so they get a message that says whom to contact.

Wettelijk vertegenwoordigers are not in Zoeken or Basisprofiel (FORMATS.md): they come from the KvK's paid
extract products, which this client does not buy. A profile from this client therefore has none, and the
"choose who signs" step (R53) is skipped when the list is empty.
"""

import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import kvk_json
from .base import Handelsregister, niet_gevonden_kvk, niet_gevonden_vestiging
from .errors import HandelsregisterConfiguratieFout, HandelsregisterNietBereikbaar
from .records import Organisatieprofiel, Zoekresultaat

logger = logging.getLogger(__name__)

# The Zoeken API answers at most 100 per page; more pages than this for one KvK-nummer is not a real case.
RESULTATEN_PER_PAGINA = 100
MAX_PAGINAS = 10


def niet_bereikbaar() -> HandelsregisterNietBereikbaar:
    return HandelsregisterNietBereikbaar(
        _("Het Handelsregister is op dit moment niet bereikbaar. Probeer het later opnieuw."),
        code="handelsregister_niet_bereikbaar",
    )


def configuratiefout() -> HandelsregisterConfiguratieFout:
    return HandelsregisterConfiguratieFout(
        _(
            "De koppeling met het Handelsregister is niet goed ingesteld. "
            "Probeer het later opnieuw of neem contact op met de servicedesk."
        ),
        code="handelsregister_configuratie",
    )


class _NotFound(Exception):
    pass


class KvkHandelsregister(Handelsregister):
    def __init__(self, *, base_url: str, api_key: str, timeout: float) -> None:
        scheme = urllib.parse.urlsplit(base_url).scheme
        if scheme not in {"http", "https"}:
            # Checked here so urlopen never sees file:// or similar from a mistyped setting.
            raise ValueError(f"KVK_API_BASE_URL must be http(s), got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    # --- HTTP ---------------------------------------------------------------------------------------------

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        """GET and decode JSON. Raises `_NotFound` on 404, a `HandelsregisterFout` on any other failure."""
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        headers = {"apikey": self.api_key, "Accept": "application/json"}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked in __init__)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (scheme checked in __init__)
                body = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()  # the error is also the response; release its connection
            if exc.code == 404:
                raise _NotFound from None
            if exc.code in (401, 403):
                logger.error("KvK API refused the API key (HTTP %s) for %s", exc.code, path)
                raise configuratiefout() from None
            logger.warning("KvK API answered HTTP %s for %s", exc.code, path)
            raise niet_bereikbaar() from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            # URLError wraps refused connections and DNS failures; a timeout while reading is a bare OSError.
            logger.warning("KvK API not reachable for %s: %r", path, exc)
            raise niet_bereikbaar() from None
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            logger.warning("KvK API sent an answer that is not JSON for %s", path)
            raise niet_bereikbaar() from None

    def _read(self, fn, *args, **kwargs):
        """Apply a `kvk_json` reader; an answer of the wrong shape is as useless as no answer."""
        try:
            return fn(*args, **kwargs)
        except kvk_json.OngeldigAntwoord as exc:
            logger.warning("KvK API answer has an unexpected shape: %s", exc)
            raise niet_bereikbaar() from None

    # --- the two APIs -------------------------------------------------------------------------------------

    def _zoeken(self, criteria: dict[str, str]) -> list[Zoekresultaat]:
        resultaten: list[Zoekresultaat] = []
        for pagina in range(1, MAX_PAGINAS + 1):
            params = {**criteria, "pagina": pagina, "resultatenPerPagina": RESULTATEN_PER_PAGINA}
            try:
                antwoord = self._get("/api/v2/zoeken", params)
            except _NotFound:
                break  # Zoeken answers "no results" (IPD5200) with a 404
            gevonden = self._read(kvk_json.zoekresultaten, antwoord)
            resultaten.extend(gevonden)
            totaal = antwoord.get("totaal") if isinstance(antwoord, dict) else None
            if not gevonden or not isinstance(totaal, int) or len(resultaten) >= totaal:
                break
        return resultaten

    def _basisprofiel(self, kvk_nummer: str) -> Any:
        try:
            return self._get(f"/api/v1/basisprofielen/{kvk_nummer}", {"geoData": "false"})
        except _NotFound:
            raise niet_gevonden_kvk(kvk_nummer) from None

    def _profiel(
        self, kvk_nummer: str, *, vestigingsnummer: str = "", bekend: list[Zoekresultaat] | None = None
    ) -> Organisatieprofiel:
        basisprofiel = self._basisprofiel(kvk_nummer)
        vestigingen = self._zoeken({"kvkNummer": kvk_nummer})
        # The vestiging asked for is kept even if the KvK-nummer search did not list it (paging, inactive).
        nummers = {v.vestigingsnummer for v in vestigingen}
        vestigingen += [r for r in bekend or () if r.vestigingsnummer not in nummers]
        return self._read(kvk_json.organisatieprofiel, basisprofiel, vestigingen, vestigingsnummer=vestigingsnummer)

    def _profiel_van_vestiging(self, vestigingsnummer: str) -> Organisatieprofiel:
        treffers = [r for r in self._zoeken({"vestigingsnummer": vestigingsnummer}) if r.vestigingsnummer]
        if not treffers:
            raise niet_gevonden_vestiging(vestigingsnummer)
        return self._profiel(treffers[0].kvk_nummer, vestigingsnummer=vestigingsnummer, bekend=treffers[:1])

"""Fixtures for the Handelsregister: the shipped data file, the loaded embedded register, a local KvK API."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from handelsregister.clients import KvkHandelsregister
from handelsregister.services import handelsregister_laden

DATA_FILE = Path(__file__).resolve().parents[2] / "handelsregister" / "data" / "handelsregister.json"
API_KEY = "test-api-key"


@pytest.fixture(scope="session")
def handelsregister_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def data_kopie(handelsregister_data) -> dict:
    """A deep copy a test may change."""
    return json.loads(json.dumps(handelsregister_data))


@pytest.fixture
def geladen_register(db, handelsregister_data):
    return handelsregister_laden(data=handelsregister_data)


class FakeKvkApi(ThreadingHTTPServer):
    """Answers like the KvK API (Zoeken v2, Basisprofiel v1) from the shipped data file.

    `modus` makes every request fail in one way: "500", "401", "slow", "malformed", "wrong_shape".
    `requests` records (path, query, apikey header) of each request.
    """

    daemon_threads = True

    def __init__(self, data: dict) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.basisprofielen = {o["basisprofiel"]["kvkNummer"]: o["basisprofiel"] for o in data["organisaties"]}
        self.resultaten = [r for o in data["organisaties"] for r in o["zoeken"]["resultaten"]]
        self.modus: str | None = None
        self.vertraging = 1.0
        self.requests: list[tuple[str, dict, str | None]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def client(self, *, timeout: float = 2.0, api_key: str = API_KEY) -> KvkHandelsregister:
        return KvkHandelsregister(base_url=self.base_url, api_key=api_key, timeout=timeout)


class _Handler(BaseHTTPRequestHandler):
    server: FakeKvkApi

    def log_message(self, format, *args):  # keep the test output clean
        pass

    def _send(self, status: int, body: bytes | dict) -> None:
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test); nothing to answer to

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.server.requests.append((url.path, query, self.headers.get("apikey")))
        modus = self.server.modus
        if self.headers.get("apikey") != API_KEY or modus == "401":
            return self._send(401, {"fout": [{"code": "IPD0001", "omschrijving": "Niet geautoriseerd"}]})
        if modus == "500":
            return self._send(500, {"fout": [{"code": "IPD9999", "omschrijving": "Interne fout"}]})
        if modus == "slow":
            time.sleep(self.server.vertraging)
        if modus == "malformed":
            return self._send(200, b'{"kvkNummer": "12345678", "naam": ')
        if modus == "wrong_shape":
            return self._send(200, {"resultaten": "geen lijst", "kvkNummer": ["geen", "tekst"]})

        if url.path.startswith("/api/v1/basisprofielen/"):
            profiel = self.server.basisprofielen.get(url.path.rsplit("/", 1)[-1])
            if profiel is None:
                return self._send(404, {"fout": [{"code": "IPD0004", "omschrijving": "Het KVK-nummer is onbekend"}]})
            return self._send(200, profiel)
        if url.path == "/api/v2/zoeken":
            return self._zoeken(query)
        return self._send(404, {"fout": [{"code": "IPD0000", "omschrijving": "Onbekend pad"}]})

    def _zoeken(self, query: dict) -> None:
        gevonden = [
            r
            for r in self.server.resultaten
            if query.get("kvkNummer", r["kvkNummer"]) == r["kvkNummer"]
            and query.get("vestigingsnummer", r.get("vestigingsnummer")) == r.get("vestigingsnummer")
            and query.get("naam", "").lower() in r["naam"].lower()
        ]
        if not gevonden:
            # The Zoeken API answers "no results" with a 404 and code IPD5200.
            return self._send(404, {"fout": [{"code": "IPD5200", "omschrijving": "Geen resultaten gevonden."}]})
        pagina = int(query.get("pagina", 1))
        per_pagina = int(query.get("resultatenPerPagina", 10))
        deel = gevonden[(pagina - 1) * per_pagina : pagina * per_pagina]
        return self._send(
            200,
            {"pagina": pagina, "resultatenPerPagina": per_pagina, "totaal": len(gevonden), "resultaten": deel},
        )


@pytest.fixture
def kvk_api(handelsregister_data):
    server = FakeKvkApi(handelsregister_data)
    # A short poll interval keeps shutdown() (which waits for the next poll) from slowing every test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)

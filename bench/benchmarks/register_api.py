"""The Machtigingenregister API over HTTP under gunicorn (2 sync workers): decisions per second and latency with
1,000,000 machtigingen and 10,000 ketenmachtigingen in PostgreSQL, against a bare Django JSON endpoint served by
the same gunicorn in the same run (`bench.register_wsgi`), plus the batch of 100.

The load comes from `wrk` (one connection per wrk thread, as many as gunicorn workers, so the latency is the
service time, not a queue) for SECONDS per timed call; the runner's seconds are wrk's measured time per PER
answers, so the ratio is bare throughput / API throughput (1.25 = 0.8× the bare throughput). The figures the issue asks for
(decisions/s, throughput vs bare, p50/p95/p99, batch of 100) are reported below the table.

The workers run as deployed (`bench.register_settings`): with REDIS_URL each keeps the answers it gave while
the register's data is unchanged (`api.beslissen`), so the timed runs follow a first pass in which every
question is new (reported on its own) and warm-up passes until the throughput stops rising.

PostgreSQL only (a million rows, COPY, and gunicorn processes sharing the database): skipped on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from api.clients import maak_client
from bench.copy import copy_rows
from bench.data import maak_wereld, scaled
from bench.registry import Benchmark, BenchmarkError, benchmark
from common.niveau import Niveau
from gebruikers.models import Middel
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Machtiging, Scope, Status
from organisaties.models import Organisatie

FULL_ROWS = 1_000_000
KETENMACHTIGINGEN = 10_000
WORKERS = 2
SECONDS = 8  # of load per timed call
WARM_UP_SECONDS = 2
MAX_WARM_UP_PASSES = 12  # of SECONDS each, until the throughput stops rising
PER = 1_000  # the runner's seconds are per this many answers
BATCH = 100
QUESTIONS = 2_000  # distinct bodies, cycled
EVALUATION_PATH = "/access/v1/evaluation"
EVALUATIONS_PATH = "/access/v1/evaluations"
# The bare endpoint of bench.register_wsgi (not imported here: importing it switches the URLconf).
BARE_PATH = "/bench/bare-decision"
ROOT = Path(__file__).resolve().parents[2]

WRK_SCRIPT = """
local bodies = {}
local i = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

function init(args)
  for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
  i = offset %% #bodies
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer %(token)s"
end

function request()
  i = i %% #bodies + 1
  return wrk.format("POST", "%(path)s", nil, bodies[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "errors": %%d, "p50": %%d, "p95": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    d = connection.settings_dict
    user = quote(d.get("USER") or "")
    password = f":{quote(d['PASSWORD'])}" if d.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{d.get('HOST') or '127.0.0.1'}:{d.get('PORT') or 5432}/{d['NAME']}"


def _vraag(middel: str, kvk: str, dienst: str) -> dict:
    return {
        "subject": {"type": "eherkenningsmiddel", "id": middel},
        "resource": {"type": "dienst", "id": dienst, "properties": {"kvk_nummer": kvk}},
        "action": {"name": "inloggen"},
    }


@benchmark(name="register_api", rows=FULL_ROWS)
class RegisterApi(Benchmark):
    """POST /access/v1/evaluation under gunicorn, 1M machtigingen, 10k ketenmachtigingen vs a bare JSON view."""

    measure_memory = False  # the work happens in gunicorn's processes, not in this one

    def skip_reason(self) -> str | None:
        if connection.vendor != "postgresql":
            return "needs PostgreSQL (set DATABASE_URL): gunicorn's workers share the benchmark database"
        if shutil.which("wrk") is None:
            return "needs wrk (apt-get install wrk)"
        return None

    # ------------------------------------------------------------------------------------------- data

    def prepare(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
        self.server = None
        self.stats: dict[str, list[dict]] = {"run": [], "baseline": []}
        try:
            self._prepare()
        except BaseException:
            self.finish()  # the runner calls finish only after a successful prepare: never leave gunicorn running
            raise

    def _prepare(self) -> None:
        rng = random.Random(2024)
        started = time.perf_counter()

        def step(what: str) -> None:
            print(f"register_api: {what} at {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

        wereld = maak_wereld(
            organisaties=scaled(2_000, self.rows, FULL_ROWS, 4),
            middelen=scaled(20_000, self.rows, FULL_ROWS, 8),
            dienstverleners=scaled(50, self.rows, FULL_ROWS, 2),
            diensten=scaled(2_000, self.rows, FULL_ROWS, 20),
            seed=2024,
        )
        step("organisaties, middelen, diensten made")
        ja = self._machtigingen(wereld, rng)
        step("machtigingen copied")
        keten = self._ketenmachtigingen(wereld, rng)
        step("ketenmachtigingen copied")
        with connection.cursor() as cursor:
            for model in (Machtiging, Ketenmachtiging, KetenmachtigingMiddel, Middel, Organisatie):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self._vragen(wereld, ja, keten, rng)
        _client, self.token = maak_client(naam="Bench register")
        step("analysed, questions written")
        self._start_server()
        step("gunicorn answering")
        # Warm both sides up (imports, URL resolver, connections) before anything is timed.
        self._wrk(BARE_PATH, self.bodies, WARM_UP_SECONDS)
        # The first pass: every question new to the workers, so each answer takes the register's queries.
        self.koud = self._wrk(EVALUATION_PATH, self.bodies)
        step(f"first pass: {self.koud['rps']:.0f} decisions/s")
        # Then until the workers have seen the questions (throughput stops rising), as a broker's repeated
        # log-ins are: the timed runs measure that steady state (with REDIS_URL; without it nothing is kept).
        vorige = self.koud["rps"]
        for _ in range(MAX_WARM_UP_PASSES):
            stats = self._wrk(EVALUATION_PATH, self.bodies)
            if stats["rps"] < vorige * 1.1:
                break
            vorige = stats["rps"]
        step(f"warmed up: {vorige:.0f} decisions/s")

    def _machtigingen(self, wereld, rng: random.Random) -> list[tuple[int, int, int]]:
        """self.rows machtigingen over the koppelingen: mostly per dienst, some Algemene bevoegdheid or
        Dienstverlenersmachtiging; 90 % actief. Returns a sample of (middel, organisatie, dienst) that permit."""
        vandaag = timezone.localdate()
        nu = timezone.now()
        koppelingen, diensten = wereld.koppelingen, wereld.diensten
        niveaus = [Niveau.EH2, Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH4]
        ja: list[tuple[int, int, int]] = []
        fields = (
            "middel", "organisatie", "scope", "dienst", "niveau", "dienstverlener",
            "begint_op", "eindigt_op", "status", "ingetrokken_op", "aangemaakt_op",
        )  # fmt: skip

        def rijen():
            for n in range(self.rows):
                middel_id, org_id, niveau = koppelingen[n % len(koppelingen)]
                dienst_id, dienstverlener_id, dienst_niveau = diensten[rng.randrange(len(diensten))]
                r = rng.random()
                if r < 0.9:
                    scope, dienst, alg, verlener = Scope.DIENST, dienst_id, None, None
                elif r < 0.95:
                    scope, dienst, alg, verlener = Scope.ALGEMEEN, None, rng.choice(niveaus), None
                else:
                    scope, dienst, alg, verlener = Scope.DIENSTVERLENER, None, None, dienstverlener_id
                s = rng.random()
                status = Status.ACTIEF if s < 0.9 else (Status.VERLOPEN if s < 0.95 else Status.INGETROKKEN)
                begint = vandaag - dt.timedelta(days=rng.randint(0, 700))
                eindigt = begint + dt.timedelta(days=rng.choice([365, 3 * 365, 5 * 365]))
                if status == Status.ACTIEF and eindigt <= vandaag:
                    eindigt = vandaag + dt.timedelta(days=rng.randint(1, 400))
                if status == Status.VERLOPEN:
                    eindigt = min(eindigt, vandaag)
                    begint = min(begint, eindigt - dt.timedelta(days=30))
                if (
                    scope == Scope.DIENST
                    and status == Status.ACTIEF
                    and dienst_niveau <= niveau
                    and len(ja) < QUESTIONS
                    and rng.random() < 0.01
                ):
                    ja.append((middel_id, org_id, dienst_id))
                ingetrokken = nu if status == Status.INGETROKKEN else None
                yield (middel_id, org_id, scope, dienst, alg, verlener, begint, eindigt, status, ingetrokken, nu)

        copy_rows(Machtiging, fields, rijen())
        return ja

    def _ketenmachtigingen(self, wereld, rng: random.Random) -> list[tuple[int, int, int]]:
        """Ketenmachtigingen from clients to a few intermediairs, each linked to an EH3+ middel of the
        intermediair. Returns (middel of the intermediair, client organisatie, a dienst in scope) per one."""
        aantal = scaled(KETENMACHTIGINGEN, self.rows, FULL_ROWS, 2)
        orgs = wereld.organisatie_ids
        intermediairs = orgs[: max(1, len(orgs) // 40)]
        middelen_van: dict[int, list[int]] = {}
        for middel_id, org_id, niveau in wereld.koppelingen:
            if org_id in intermediairs and niveau >= Niveau.EH3:
                middelen_van.setdefault(org_id, []).append(middel_id)
        intermediairs = [o for o in intermediairs if o in middelen_van]
        if not intermediairs:
            return []
        vandaag = timezone.localdate()
        nu = timezone.now()
        plan = []
        for _ in range(aantal):
            intermediair = rng.choice(intermediairs)
            verlener = rng.choice(orgs)
            if verlener == intermediair:
                verlener = orgs[(orgs.index(verlener) + 1) % len(orgs)]
            dienst_id, dienstverlener_id, _niveau = wereld.diensten[rng.randrange(len(wereld.diensten))]
            r = rng.random()
            if r < 0.5:
                scope = (Scope.DIENST, dienst_id, None, None)
            elif r < 0.8:
                scope = (Scope.ALGEMEEN, None, Niveau.EH4, None)
            else:
                scope = (Scope.DIENSTVERLENER, None, None, dienstverlener_id)
            begint = vandaag - dt.timedelta(days=rng.randint(0, 300))
            plan.append((verlener, intermediair, *scope, begint, begint + dt.timedelta(days=3 * 365), dienst_id))
        fields = (
            "verlener", "intermediair", "scope", "dienst", "niveau", "dienstverlener", "begint_op", "eindigt_op",
            "status", "aangevraagd_door", "intermediair_email", "aangemaakt_op",
        )  # fmt: skip
        copy_rows(
            Ketenmachtiging,
            fields,
            (
                (*p[:8], Status.ACTIEF, Ketenmachtiging.AangevraagdDoor.VERLENER, "", nu)
                for p in plan  # the dienst asked about (p[8]) is not a column
            ),
        )
        ids = list(Ketenmachtiging.objects.order_by("pk").values_list("pk", flat=True))
        links, vragen = [], []
        for keten_id, p in zip(ids, plan, strict=True):
            middel_id = rng.choice(middelen_van[p[1]])
            links.append((keten_id, middel_id, nu))
            vragen.append((middel_id, p[0], p[8]))
        copy_rows(KetenmachtigingMiddel, ("ketenmachtiging", "middel", "gekoppeld_op"), links)
        return vragen

    def _vragen(self, wereld, ja, keten, rng: random.Random) -> None:
        """QUESTIONS bodies: 60 % through an own machtiging (yes), 20 % through a ketenmachtiging, 20 % random
        (mostly no); and batches of BATCH of the same mix."""
        middelen = dict(Middel.objects.values_list("pk", "publieke_id"))
        kvk = dict(Organisatie.objects.values_list("pk", "kvk_nummer"))
        from catalogus.models import Dienst

        uuids = dict(Dienst.objects.values_list("pk", "service_uuid"))
        koppelingen, diensten = wereld.koppelingen, wereld.diensten
        vragen = []
        for n in range(QUESTIONS):
            r = rng.random()
            if r < 0.6 and ja:
                middel_id, org_id, dienst_id = ja[n % len(ja)]
            elif r < 0.8 and keten:
                middel_id, org_id, dienst_id = keten[rng.randrange(len(keten))]
            else:
                middel_id, org_id, _niveau = koppelingen[rng.randrange(len(koppelingen))]
                dienst_id = diensten[rng.randrange(len(diensten))][0]
            vragen.append(_vraag(str(middelen[middel_id]), kvk[org_id], str(uuids[dienst_id])))
        self.vragen = vragen
        self.bodies = self.tmp / "evaluation.jsonl"
        self.bodies.write_text("".join(json.dumps(v) + "\n" for v in vragen))
        self.batch_bodies = self.tmp / "evaluations.jsonl"
        self.batch_bodies.write_text(
            "".join(
                json.dumps({"evaluations": [vragen[(b * BATCH + j) % len(vragen)] for j in range(BATCH)]}) + "\n"
                for b in range(QUESTIONS // BATCH)
            )
        )

    # ------------------------------------------------------------------------------------ the server

    def _start_server(self) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.register_settings",
            "DATABASE_URL": _database_url(),
            "DJANGO_CONN_MAX_AGE": "60",  # persistent connections, as a deployment runs
            "API_RATE_LIMIT": str(10**9),
            "LOG_LEVEL": "WARNING",
        }
        self.server = subprocess.Popen(  # noqa: S603 -- our own interpreter and module
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.register_wsgi:application",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=(self.tmp / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                antwoord = self._post(EVALUATION_PATH, self.vragen[0])
                break
            except (urllib.error.URLError, ConnectionError):
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise BenchmarkError(
                        f"gunicorn did not start: {(self.tmp / 'gunicorn.log').read_text()[-2000:]}"
                    ) from None
                time.sleep(0.2)
        # A fast wrong answer must not count as fast: the data really permits through the API.
        ja = sum(self._post(EVALUATION_PATH, v)["decision"] for v in self.vragen[:50])
        if "decision" not in antwoord or ja == 0:
            raise BenchmarkError(f"the API permits none of the questions meant to be permitted ({antwoord})")

    def _post(self, path: str, data: dict) -> dict:
        request = urllib.request.Request(  # noqa: S310 -- our own server on localhost
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def _wrk(self, path: str, bodies: Path, seconds: int = SECONDS) -> dict:
        script = self.tmp / "load.lua"
        script.write_text(WRK_SCRIPT % {"bodies": bodies, "token": self.token, "path": path})
        out = subprocess.run(  # noqa: S603
            [
                "wrk",
                "-t",
                str(WORKERS),
                "-c",
                str(WORKERS),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{self.port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        line = next((regel for regel in out.splitlines() if regel.startswith("BENCH ")), None)
        if line is None:
            raise BenchmarkError(f"wrk printed no result: {out[-1000:]}")
        stats = json.loads(line[len("BENCH ") :])
        stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
        return stats

    # ------------------------------------------------------------------------------------ timed calls

    def run(self) -> dict:
        stats = self._wrk(EVALUATION_PATH, self.bodies)
        self.stats["run"].append(stats)
        return stats

    def baseline(self) -> dict:
        stats = self._wrk(BARE_PATH, self.bodies)
        self.stats["baseline"].append(stats)
        return stats

    def check(self, result, *, baseline: bool) -> None:
        side = "bare endpoint" if baseline else "API"
        if result["non2xx"] or result["errors"]:
            raise BenchmarkError(f"the {side} gave {result['non2xx']} non-2xx answers and {result['errors']} errors")
        if not result["requests"]:
            raise BenchmarkError(f"the {side} answered no requests")

    def measured_seconds(self, result, elapsed: float) -> float:
        # wrk runs for a fixed time; the comparable figure is the time per PER answers it measured.
        return PER / result["rps"]

    def extra(self) -> dict[str, str]:
        """The issue's figures: throughput against bare, latency percentiles, and one run of batches of 100."""
        run, bare = self.stats["run"], self.stats["baseline"]
        rps = statistics.median(s["rps"] for s in run)
        bare_rps = statistics.median(s["rps"] for s in bare)
        batch = self._wrk(EVALUATIONS_PATH, self.batch_bodies)
        self.check(batch, baseline=False)

        def ms(stats, key):
            return f"{statistics.median(s[key] for s in stats) / 1000:.1f}"

        kept = "on (Redis shared by the workers)" if os.environ.get("REDIS_URL") else "off (no REDIS_URL)"
        return {
            "answers kept per worker": kept,
            "first pass (every question new)": (
                f"{self.koud['rps']:.0f} decisions/s, p50/p95 {self.koud['p50'] / 1000:.1f} / "
                f"{self.koud['p95'] / 1000:.1f} ms"
            ),
            "decisions/s": f"{rps:.0f}",
            "bare requests/s": f"{bare_rps:.0f}",
            "throughput vs bare": f"{rps / bare_rps:.2f}× (target ≥ 0.8×)",
            "p50/p95/p99 ms": f"{ms(run, 'p50')} / {ms(run, 'p95')} / {ms(run, 'p99')} (target p95 ≤ 10)",
            "bare p50/p95/p99 ms": f"{ms(bare, 'p50')} / {ms(bare, 'p95')} / {ms(bare, 'p99')}",
            f"batch of {BATCH}": (
                f"{batch['rps'] * BATCH:.0f} decisions/s, p50/p95 {batch['p50'] / 1000:.1f} / "
                f"{batch['p95'] / 1000:.1f} ms per batch"
            ),
            "load": f"wrk, {WORKERS} connections, gunicorn {WORKERS} sync workers, {SECONDS} s per run",
        }

    def finish(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

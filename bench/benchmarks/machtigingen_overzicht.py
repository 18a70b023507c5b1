"""The rubriek Machtigingen overview (§4.1, R38) of an organisation with 2,000 people × 10 machtigingen, against a
bare view that renders the same lines (per dienst its dienstverlener, name, niveau, holders and how many end
within two months) from one raw query and a string join.

Both sides are GET requests through Django's test client, signed in as the organisation's beheerder with the
second factor passed, so both pay the same middleware; the difference is the selector (the running-machtiging
rules: started, not ended, Actief middel, actief koppeling), the grouping and the template with its HTMX markup.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django.urls import NoReverseMatch, include, path, reverse
from django.utils.html import escape

from bench.benchmarks.gebruikers_overzicht import (
    ingelogde_client,
    maak_machtigingen,
    maak_organisatie_met_personen,
)
from bench.registry import Benchmark, BenchmarkError, benchmark
from catalogus.models import Dienst, Dienstverlener
from common.dates import plus_maanden, vandaag
from gebruikers.models import Koppeling, Middel, Persoon
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.selectors import BINNENKORT_MAANDEN
from organisaties.models import Organisatie

FULL_ROWS = 2_000
MACHTIGINGEN_PER_PERSOON = 10
BARE_URL = "/bench/bare-machtigingen/"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


BARE_SQL = """
SELECT v.naam, d.naam, d.niveau, COUNT(DISTINCT m.middel_id), SUM(CASE WHEN m.eindigt_op <= %s THEN 1 ELSE 0 END)
FROM {machtiging} m
JOIN {middel} md ON md.id = m.middel_id
JOIN {dienst} d ON d.id = m.dienst_id
JOIN {verlener} v ON v.id = d.dienstverlener_id
WHERE m.organisatie_id = %s AND m.scope = %s AND m.status = %s AND m.begint_op <= %s AND m.eindigt_op > %s
  AND md.status = %s
  AND EXISTS (SELECT 1 FROM {koppeling} k WHERE k.middel_id = m.middel_id AND k.organisatie_id = m.organisatie_id
              AND k.status = %s)
GROUP BY v.naam, d.naam, d.niveau, d.id
ORDER BY v.naam, d.naam, d.id
"""


def bare_view(request):
    """The bare minimum: the chosen organisation, one raw aggregate query, one string join."""
    organisatie = request.beheer.organisatie
    dag = vandaag()
    sql = BARE_SQL.format(
        machtiging=_q(Machtiging._meta.db_table),
        middel=_q(Middel._meta.db_table),
        dienst=_q(Dienst._meta.db_table),
        verlener=_q(Dienstverlener._meta.db_table),
        koppeling=_q(Koppeling._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                plus_maanden(dag, BINNENKORT_MAANDEN),
                organisatie.pk,
                Scope.DIENST,
                Status.ACTIEF,
                dag,
                dag,
                Middel.Status.ACTIEF,
                Koppeling.Status.ACTIEF,
            ],
        )
        rows = cursor.fetchall()
    html = "".join(
        f"<li>{escape(v)} — {escape(d)} {n} {aantal} Gebruikers {binnenkort or 0}</li>"
        for v, d, n, aantal, binnenkort in rows
    )
    return HttpResponse(f"<ul>{html}</ul>")


# Both sides run under this URLconf (the bare view, then the project's own URLs), set once for the benchmark, so
# Django's URL caches are not emptied around each bare call (see gebruikers_overzicht).
urlpatterns = [path(BARE_URL.strip("/") + "/", bare_view), path("", include(settings.ROOT_URLCONF))]


@benchmark(name="machtigingen_overzicht", rows=FULL_ROWS)
class MachtigingenOverzicht(Benchmark):
    """GET /beheer/machtigingen/ for 2,000 people × 10 machtigingen vs a raw aggregate query and a string join."""

    def skip_reason(self) -> str | None:
        try:
            reverse("machtigingen:overzicht")
        except NoReverseMatch:
            return "the machtigingen overview does not exist yet"
        return None

    def prepare(self) -> None:
        self.organisatie, beheerder = maak_organisatie_met_personen(self.rows)
        maak_machtigingen(self.organisatie, self.rows * MACHTIGINGEN_PER_PERSOON)
        self.client = ingelogde_client(beheerder)
        self.url = reverse("machtigingen:overzicht")
        with connection.cursor() as cursor:
            for model in (Persoon, Middel, Koppeling, Machtiging, Dienst, Dienstverlener, Organisatie):
                cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")
        self.urlconf = override_settings(ROOT_URLCONF=__name__)
        self.urlconf.enable()
        self.expected = self.baseline()
        if not self.expected:
            raise BenchmarkError("the organisation holds no machtigingen")

    def run(self) -> int:
        response = self.client.get(self.url)
        if response.status_code != 200:
            raise BenchmarkError(f"the overview answered {response.status_code}")
        return response.content.decode().count('<li class="bm-scope"')

    def baseline(self) -> int:
        response = self.client.get(BARE_URL)
        if response.status_code != 200:
            raise BenchmarkError(f"the bare view answered {response.status_code}")
        return response.content.decode().count("<li>")

    def check(self, result, *, baseline: bool) -> None:
        if result != self.expected:
            side = "baseline" if baseline else "overview"
            raise BenchmarkError(f"the {side} listed {result} lines, expected {self.expected}")

    def finish(self) -> None:
        self.urlconf.disable()

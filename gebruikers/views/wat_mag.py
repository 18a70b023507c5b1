"""Wat mag deze persoon? (R71): on a person's details, every dienst the person may use for the organisation
today with the path that permits it, and, for the diensten a search finds, yes or no with every reason why not.

The register's resource search (`api.zoeken.wat_mag`) and evaluation (`api.zoeken.waarom`): the screen, the
searches and the broker's evaluation are one function, so they never disagree.
"""

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from api import zoeken
from api.beslissen import Antwoord
from beheer.decorators import beheerder_required
from catalogus.models import Dienst
from common import htmx
from gebruikers.models import Koppeling
from gebruikers.selectors import gebruiker_details
from groepen.models import Groep
from machtigingen.models import Scope

ZOEK_MAX = 100
LIMIET = 100

PAD_TEKSTEN = {
    "direct": _("Machtiging voor deze dienst"),
    "algemene_bevoegdheid": _("Algemene bevoegdheid"),
    "dienstverlenersmachtiging": _("Dienstverlenersmachtiging"),
    "ketenmachtiging": _("Ketenmachtiging"),
}
# A group's machtiging (R24) is one of these kinds, held through the group.
SCOPE_TEKSTEN = {
    Scope.DIENST: PAD_TEKSTEN["direct"],
    Scope.ALGEMEEN: PAD_TEKSTEN["algemene_bevoegdheid"],
    Scope.DIENSTVERLENER: PAD_TEKSTEN["dienstverlenersmachtiging"],
}


def _pad_tekst(pad: dict, groepen: dict[int, str]) -> str:
    if pad.get("soort") == "groep":
        soort = str(SCOPE_TEKSTEN.get(pad.get("scope"), PAD_TEKSTEN["direct"]))
        return gettext("%(pad)s via groep %(groep)s") % {"pad": soort, "groep": groepen.get(pad.get("groep_id"), "")}
    tekst = str(PAD_TEKSTEN.get(pad.get("soort"), pad.get("soort", "")))
    intermediair = pad.get("intermediair")
    if intermediair:
        return gettext("%(pad)s via %(naam)s") % {"pad": tekst, "naam": intermediair.get("naam", "")}
    return tekst


def _rijen(paren: list[tuple[str, Antwoord]], organisatie) -> list[dict]:
    """What each line shows, worked out here so the template only renders."""
    diensten = {
        str(d.service_uuid): d
        for d in Dienst.objects.select_related("dienstverlener").filter(service_uuid__in=[u for u, _a in paren])
    }
    groep_ids = {a.pad["groep_id"] for _u, a in paren if a.toegestaan and a.pad and a.pad.get("groep_id")}
    groepen = (
        dict(Groep.objects.filter(organisatie=organisatie, pk__in=groep_ids).values_list("pk", "naam"))
        if groep_ids
        else {}
    )
    taal = "en" if (translation.get_language() or "").startswith("en") else "nl"
    rijen = []
    for service_uuid, antwoord in paren:
        dienst = diensten.get(service_uuid)
        if dienst is None:
            continue
        pad = antwoord.pad or {}
        rijen.append(
            {
                "dienst": dienst,
                "toegestaan": antwoord.toegestaan,
                "pad": _pad_tekst(pad, groepen) if antwoord.toegestaan else "",
                "tot": dt.date.fromisoformat(pad["eindigt_op"]) if pad.get("eindigt_op") else None,
                "redenen": [r[taal] for r in antwoord.context.get("redenen", ())],
            }
        )
    return rijen


@require_GET
@beheerder_required
def wat_mag(request, persoon_id: int):
    organisatie = request.beheer.organisatie
    try:
        details = gebruiker_details(organisatie=organisatie, persoon_id=persoon_id)
    except Koppeling.DoesNotExist:
        raise Http404 from None  # the same answer for foreign and missing ids
    zoekterm = request.GET.get("q", "").strip()[:ZOEK_MAX]
    if zoekterm:
        rijen = _rijen(zoeken.waarom(details.middel, organisatie, zoekterm=zoekterm), organisatie)
        meer = False
    else:
        pagina = zoeken.wat_mag(details.middel, organisatie, limiet=LIMIET)
        rijen = _rijen(pagina.resultaten, organisatie)
        meer = bool(pagina.next_token)
    context = {
        "persoon_id": details.persoon.pk,
        "persoon": details.persoon,
        "organisatie": organisatie,
        "zoekterm": zoekterm,
        "rijen": rijen,
        "meer": meer,
        "laden": False,
    }
    fragment = bool(getattr(request, "htmx", None)) and not request.htmx.history_restore_request
    template = "gebruikers/_wat_mag.html" if fragment else "gebruikers/wat_mag.html"
    return htmx.vary_on_htmx(render(request, template, context))


urlpatterns = [path("<int:persoon_id>/wat-mag/", wat_mag, name="wat_mag")]

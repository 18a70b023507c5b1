"""Pop-ups on what the verlener gave (§5.2): extend a ketenmachtiging in place (R46, R73), revoke one (R45) and
*Verwijder bedrijf* (R41). Each URL serves a page without JavaScript, a `<dialog>` to an HTMX GET and the
dialog's content after a refusal; on success the overview reloads with the intermediair opened and the
confirmation shown (R74).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beheer.decorators import beheerder_required
from common import htmx
from common.errors import DomainError
from common.weergave import datum
from inloggen.sudo import vereist_recente_bevestiging
from ketenmachtigingen import rules
from ketenmachtigingen import services as keten
from ketenmachtigingen.forms_afgegeven import VerlengForm
from ketenmachtigingen.models import Ketenmachtiging
from ketenmachtigingen.selectors_afgegeven import afgegeven_intermediair, afgegeven_ketenmachtiging, scope_titel
from ketenmachtigingen.views.afgegeven import overzicht_url

GET_POST = require_http_methods(["GET", "POST"])
# The element a re-rendered pop-up form replaces (gebruikers/mutaties/dialog.html).
INHOUD = "bm-popup-inhoud"


def popup(request, template: str, context: dict, *, titel: str, terug_url: str, status: int = 200):
    ctx = {
        **context,
        "popup_template": template,
        "titel": titel,
        "terug_url": terug_url,
        "in_dialog": bool(request.htmx),
        "actie_url": request.path,
    }
    if not request.htmx:
        return render(request, "ketenmachtigingen/afgegeven_pagina.html", ctx, status=status)
    if request.method == "GET" and request.htmx.target != INHOUD:
        return render(request, "gebruikers/mutaties/dialog.html", ctx, status=status)
    return render(request, template, ctx, status=status)


def gelukt(request, bericht: str, *, open_id: int | None = None):
    messages.success(request, bericht)
    url = overzicht_url(open_id)
    return htmx.redirect(url) if request.htmx else redirect(url)


def _ketenmachtiging(request, ketenmachtiging_id: int) -> Ketenmachtiging:
    try:
        return afgegeven_ketenmachtiging(request.beheer.organisatie, ketenmachtiging_id)
    except Ketenmachtiging.DoesNotExist:
        raise Http404 from None


def _label(k: Ketenmachtiging) -> str:
    return scope_titel(k)[0]


@GET_POST
@beheerder_required
def verlengen(request, ketenmachtiging_id: int):
    """R46: a new end date in place, at most 5 years from today (R73); its links to middelen stay."""
    k = _ketenmachtiging(request, ketenmachtiging_id)
    terug = overzicht_url(k.intermediair_id)
    weigering = rules.afgeven_weigering(request.beheer.middel)
    form = VerlengForm(request.POST if request.method == "POST" else None, huidige_einddatum=k.eindigt_op)
    if weigering is None and request.method == "POST" and form.is_valid():
        try:
            gewijzigd = keten.ketenmachtiging_verlengen(
                actor=request.user, ketenmachtiging=k, eindigt_op=form.eindigt_op()
            )
        except DomainError as fout:
            form.add_error(None, str(fout))
        else:
            return gelukt(
                request,
                _("De ketenmachtiging %(scope)s aan %(intermediair)s is verlengd tot %(datum)s.")
                % {"scope": _label(k), "intermediair": k.intermediair.naam, "datum": datum(gewijzigd.eindigt_op)},
                open_id=k.intermediair_id,
            )
    ctx = {"form": form, "ketenmachtiging": k, "scope_label": _label(k), "weigering": str(weigering or "")}
    return popup(
        request,
        "ketenmachtigingen/afgegeven_verlengen.html",
        ctx,
        titel=_("Verleng ketenmachtiging"),
        terug_url=terug,
        status=403 if weigering else 200,
    )


@GET_POST
@beheerder_required
def intrekken(request, ketenmachtiging_id: int):
    """R45: the verlener revokes what it gave, at once; every link to it ends with it (R46)."""
    k = _ketenmachtiging(request, ketenmachtiging_id)
    fout = ""
    if request.method == "POST":
        try:
            keten.ketenmachtiging_intrekken(actor=request.user, ketenmachtiging=k)
        except DomainError as error:
            fout = str(error)
        else:
            return gelukt(
                request,
                _("De ketenmachtiging %(scope)s aan %(intermediair)s is ingetrokken.")
                % {"scope": _label(k), "intermediair": k.intermediair.naam},
                open_id=k.intermediair_id,
            )
    ctx = {"ketenmachtiging": k, "scope_label": _label(k), "fout": fout}
    return popup(
        request,
        "ketenmachtigingen/afgegeven_intrekken.html",
        ctx,
        titel=_("Trek ketenmachtiging in"),
        terug_url=overzicht_url(k.intermediair_id),
    )


@GET_POST
@beheerder_required
@vereist_recente_bevestiging
def verwijderen(request, intermediair_id: int):
    """*Verwijder bedrijf* (R41): every ketenmachtiging to this intermediair ends, after the manual's warning."""
    weergave = afgegeven_intermediair(request.beheer.organisatie, intermediair_id)
    if weergave is None:
        raise Http404
    fout = ""
    if request.method == "POST":
        try:
            keten.intermediair_verwijderen(
                actor=request.user,
                verlener=request.beheer.organisatie,
                intermediair=weergave.intermediair,
                bevestigd=True,
            )
        except DomainError as error:
            fout = str(error)
        else:
            return gelukt(
                request,
                _("De intermediair %(naam)s en de daaraan gekoppelde machtigingen zijn verwijderd.")
                % {"naam": weergave.intermediair.naam},
            )
    ctx = {"intermediair": weergave.intermediair, "fout": fout}
    return popup(
        request,
        "ketenmachtigingen/afgegeven_verwijderen.html",
        ctx,
        titel=_("Verwijder bedrijf"),
        terug_url=overzicht_url(intermediair_id),
    )

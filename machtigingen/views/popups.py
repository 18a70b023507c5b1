"""The pop-ups on one machtiging, written once for both rubrieken (§3.10, §3.11, §4.3): Wijzig de einddatum
(potlood), Verleng machtiging and Trek machtiging in (R33, R34, R35, R73).

The rubriek Gebruikers (`gebruikers.views.machtigingen`) and the rubriek Machtigingen (`machtigingen.views.acties`)
each find the machtiging (scoped to the chosen organisation: foreign → 404) and say through a `Plek` how a pop-up is
served there (page, dialog or dialog content) and what success does; the form, the service call, the refusal on
the form and the confirmation text are here. Services are called through the `machtiging_services` module, so a
test can replace one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext as _

from common import htmx
from common.errors import DomainError
from common.weergave import datum
from gebruikers.views.popup import INHOUD
from machtigingen import services as machtiging_services
from machtigingen.forms import EinddatumForm, VerlengForm
from machtigingen.models import Machtiging, Scope

EINDDATUM_TEMPLATE = "machtigingen/popup/einddatum.html"
VERLENGEN_TEMPLATE = "machtigingen/popup/verlengen.html"
INTREKKEN_TEMPLATE = "machtigingen/popup/intrekken.html"


@dataclass(frozen=True)
class Plek:
    """Where a machtiging pop-up lives.

    `popup(template, context, titel=..., als_dialog=False)` serves it (a page without JavaScript, a dialog, or
    the dialog's content after a refusal); `gelukt(bericht)` confirms a change and reloads what lists the
    machtiging; `ververs_event` is the client event that reloads that region (after a refused delayed intrekken).
    """

    popup: Callable[..., HttpResponse]
    gelukt: Callable[[str], HttpResponse]
    ververs_event: str


def scope_label(machtiging: Machtiging) -> str:
    """The machtiging as the pop-ups name it: "Gemeente Haarlem – Afvalpas aanvragen", "Algemene bevoegdheid EH3"."""
    if machtiging.scope == Scope.DIENST:
        return f"{machtiging.dienst.dienstverlener} – {machtiging.dienst}"
    return machtiging.scope_omschrijving


def _context(machtiging: Machtiging, **extra) -> dict:
    # The templates also name the person (`persoon`): each Plek adds it from what it has loaded.
    return {"machtiging": machtiging, "scope_label": scope_label(machtiging), **extra}


def einddatum(request, plek: Plek, machtiging: Machtiging) -> HttpResponse:
    """§3.11.1 / §4.3 the potlood: a new end date, tomorrow at the earliest, 5 years ahead at most (R33, R73)."""
    form = EinddatumForm(
        request.POST if request.method == "POST" else None, initial={"eindigt_op": machtiging.eindigt_op}
    )
    if request.method == "POST" and form.is_valid():
        try:
            gewijzigd = machtiging_services.machtiging_wijzig_einddatum(
                actor=request.user, machtiging=machtiging, eindigt_op=form.cleaned_data["eindigt_op"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return plek.gelukt(
                _("De einddatum van de machtiging %(scope)s is gewijzigd naar %(datum)s.")
                % {"scope": scope_label(machtiging), "datum": datum(gewijzigd.eindigt_op)}
            )
    return plek.popup(EINDDATUM_TEMPLATE, _context(machtiging, form=form), titel=_("Wijzig de einddatum"))


def verlengen(request, plek: Plek, machtiging: Machtiging) -> HttpResponse:
    """§3.10 / §4.3 Verleng machtiging (R34): 5 jaar (meest gekozen), 3 jaar, 1 jaar or a date of one's own."""
    form = VerlengForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            gewijzigd = machtiging_services.machtiging_verlengen(
                actor=request.user, machtiging=machtiging, keuze=form.service_keuze()
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return plek.gelukt(
                _("De machtiging %(scope)s is verlengd tot %(datum)s.")
                % {"scope": scope_label(machtiging), "datum": datum(gewijzigd.eindigt_op)}
            )
    return plek.popup(VERLENGEN_TEMPLATE, _context(machtiging, form=form), titel=_("Verleng machtiging"))


def intrekken(request, plek: Plek, machtiging: Machtiging) -> HttpResponse:
    """§3.11.2 / §4.3 (R35). GET: the confirmation page (without JavaScript). POST: revoke at once and for good.
    With JavaScript the list shows "Machtiging wordt ingetrokken… Ongedaan maken" for 3 seconds and only then
    POSTs here (static/js/beheermodule.js); undo never reaches the server."""
    fout = ""
    if request.method == "POST":
        try:
            machtiging_services.machtiging_intrekken(actor=request.user, machtiging=machtiging)
        except DomainError as error:
            fout = str(error)
        else:
            return plek.gelukt(_("De machtiging %(scope)s is ingetrokken.") % {"scope": scope_label(machtiging)})
    # The delayed POST of the list (no dialog open) was refused: show why in a pop-up, and reload the list so
    # the row it hid comes back.
    vertraagd = bool(fout and request.htmx and request.htmx.target != INHOUD)
    response = plek.popup(
        INTREKKEN_TEMPLATE, _context(machtiging, fout=fout), titel=_("Trek machtiging in"), als_dialog=vertraagd
    )
    if vertraagd:
        htmx.trigger(response, plek.ververs_event)
    return response

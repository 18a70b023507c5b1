"""Instellingen → Facturatie (§2.4.3–§2.4.6; R52): the invoicing data and its one-way changes.

Each potlood opens its form as a page of its own (works without JavaScript). The one-way rules are the domain's
(`facturatie.rules`), so a hand-made POST for the way back is refused with the manual's words as well.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from stdnum import iban as stdnum_iban

from beheer.decorators import beheerder_required
from common.errors import DomainError
from facturatie import rules
from facturatie import services as facturatie
from facturatie.models import Tarief
from inloggen.sudo import vereist_recente_bevestiging
from instellingen.forms import FactuurEmailForm, RekeningForm
from instellingen.views._common import tabs
from organisaties.models import Organisatie


def _context(organisatie, **extra) -> dict:
    return {
        "organisatie": organisatie,
        "tabs": tabs("facturatie"),
        "iban": stdnum_iban.format(organisatie.iban) if organisatie.iban else "",
        "incassant": facturatie.INCASSANT,
        "incassant_id": facturatie.INCASSANT_ID,
        "heeft_incasso": rules.heeft_incasso(organisatie),
        "heeft_factuur_per_email": rules.heeft_factuur_per_email(organisatie),
        "mag_betaalwijze_wijzigen": rules.mag_betaalwijze_wijzigen(organisatie),
        "mag_facturatiewijze_wijzigen": rules.mag_facturatiewijze_wijzigen(organisatie),
        # The extra cost of the old choices (R52), from the tariff table; None: "extra kosten" without an amount.
        "toeslag_bankoverschrijving": facturatie.toeslag_per_factuur(Tarief.Code.TOESLAG_BANKOVERSCHRIJVING)
        if not rules.heeft_incasso(organisatie)
        else None,
        "toeslag_post": facturatie.toeslag_per_factuur(Tarief.Code.TOESLAG_FACTUUR_POST)
        if not rules.heeft_factuur_per_email(organisatie)
        else None,
        **extra,
    }


@require_GET
@beheerder_required
def overzicht(request):
    return render(request, "instellingen/facturatie.html", _context(request.beheer.organisatie))


@require_http_methods(["GET", "POST"])
@beheerder_required
@vereist_recente_bevestiging
def rekening(request):
    """ "Automatische incasso": a new IBAN/BIC, or the switch from bankoverschrijving (§2.4.3, §2.4.5)."""
    organisatie = request.beheer.organisatie
    form = RekeningForm(request.POST or None, initial={"bic": organisatie.bic})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        overstap = not rules.heeft_incasso(organisatie)
        try:
            facturatie.rekening_wijzigen(
                door=request.user,
                organisatie=organisatie,
                iban=d["iban"],
                bic=d["bic"],
                akkoord_voorwaarden=d["akkoord_voorwaarden"],
                betaalwijze=d["betaalwijze"] or Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO,
            )
        except DomainError as fout:
            form.toon_domeinfout(fout)
        else:
            messages.success(
                request,
                _("De betaalwijze is gewijzigd in automatische incasso.")
                if overstap
                else _("Het rekeningnummer is gewijzigd."),
            )
            return redirect("instellingen:facturatie")
    return render(request, "instellingen/facturatie_rekening.html", _context(organisatie, form=form))


@require_http_methods(["GET", "POST"])
@beheerder_required
def factuur_email(request):
    """ "Ontvang facturen per e-mail": a new invoice address, or the switch from factuur per post (§2.4.4, §2.4.6)."""
    organisatie = request.beheer.organisatie
    form = FactuurEmailForm(request.POST or None, initial={"email": organisatie.factuur_email})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        overstap = not rules.heeft_factuur_per_email(organisatie)
        try:
            facturatie.factuur_per_email(
                door=request.user,
                organisatie=organisatie,
                email=d["email"],
                facturatiewijze=d["facturatiewijze"] or Organisatie.Facturatiewijze.EMAIL,
            )
        except DomainError as fout:
            form.toon_domeinfout(fout)
        else:
            messages.success(
                request,
                _("U ontvangt de facturen voortaan per e-mail.")
                if overstap
                else _("Het factuur e-mailadres is gewijzigd."),
            )
            return redirect("instellingen:facturatie")
    return render(request, "instellingen/facturatie_email.html", _context(organisatie, form=form))

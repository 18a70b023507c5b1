"""Instellingen → Algemeen (§2.4.1, §2.4.2; R50, R51): the bedrijfsgegevens and removing the vestigingsnummer."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beheer.decorators import beheerder_required
from common.errors import DomainError
from instellingen.views._common import tabs, wijzigingsformulier_url
from organisaties import rules, selectors, services


def _vestiging_context(organisatie) -> dict:
    """Only an organisation registered with a vestigingsnummer asks the Handelsregister (one look-up)."""
    if not organisatie.vestigingsnummer:
        return {}
    aantal = selectors.aantal_vestigingen(organisatie)
    weigering = rules.vestigingsnummer_weigering(
        organisatie, aantal_vestigingen=aantal, kvk_al_bezet=selectors.kvk_zonder_vestiging_bezet(organisatie)
    )
    return {
        "vestiging_weigering": weigering,
        "meerdere_vestigingen": rules.wijzigingsformulier_nodig(organisatie, aantal_vestigingen=aantal),
        "wijzigingsformulier_url": wijzigingsformulier_url(),
    }


@require_GET
@beheerder_required
def algemeen(request):
    organisatie = request.beheer.organisatie
    return render(
        request,
        "instellingen/algemeen.html",
        {"organisatie": organisatie, "tabs": tabs("algemeen"), **_vestiging_context(organisatie)},
    )


@require_http_methods(["GET", "POST"])
@beheerder_required
def vestigingsnummer_verwijderen(request):
    """The potlood: a confirmation with the manual's explanation, then the change (or the refusal, in place)."""
    organisatie = request.beheer.organisatie
    fout = None
    if request.method == "POST":
        try:
            services.vestigingsnummer_verwijderen(door=request.user, organisatie=organisatie)
        except DomainError as error:
            fout = str(error)
        else:
            messages.success(
                request,
                _("Het vestigingsnummer is verwijderd. U gebruikt nu het KvK-nummer %(kvk)s.")
                % {"kvk": organisatie.kvk_nummer},
            )
            return redirect("instellingen:algemeen")
    return render(
        request,
        "instellingen/vestigingsnummer.html",
        {"organisatie": organisatie, "tabs": tabs("algemeen"), "fout": fout, **_vestiging_context(organisatie)},
    )

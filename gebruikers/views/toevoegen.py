"""Rubriek Gebruikers, "+ Voeg toe" (§3.2, §3.2.1): request a middel for a new user in four steps.

One page with the manual's four numbered steps; the cost overview ("Kosten eHerkenning") is a fragment that
HTMX refreshes whenever a choice it depends on changes (R17). The page works without JavaScript: the form posts
normally and the costs are shown again with any error.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beheer.decorators import beheerder_required
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import services
from gebruikers.forms_toevoegen import ToevoegenForm, kosten_overzicht
from gebruikers.selectors import kiesbare_niveaus

PAGINA = "gebruikers/toevoegen/pagina.html"


def _form(request, data=None, files=None, *, met_prijzen: bool = True) -> ToevoegenForm:
    return ToevoegenForm(
        data,
        files,
        organisatie=request.beheer.organisatie,
        organisaties=request.beheer.organisaties,
        # R10: only the levels up to the beheerder's own niveau are offered.
        niveaus=kiesbare_niveaus(request.beheer.middel),
        met_prijzen=met_prijzen,
    )


def _context(request, form: ToevoegenForm, *, gekozen_bestanden=()) -> dict:
    keuzes = form.keuzes()
    return {
        "form": form,
        "organisatie": request.beheer.organisatie,
        # §3.8.2: the Belastingdienstmiddel is offered at EH3, so only to a beheerder who may choose EH3.
        "belastingdienst_mogelijk": Niveau.EH3 in kiesbare_niveaus(request.beheer.middel),
        "keuzes": keuzes,
        "kosten": kosten_overzicht(keuzes),
        "gekozen_bestanden": list(gekozen_bestanden),
        "annuleer_url": _overzicht_url(),
    }


def _overzicht_url() -> str:
    return reverse("gebruikers:overzicht")


@require_http_methods(["GET", "POST"])
@beheerder_required
def toevoegen(request):
    if request.method != "POST":
        return render(request, PAGINA, _context(request, _form(request)))

    form = _form(request, request.POST, request.FILES)
    if form.is_valid():
        argumenten = form.aanvraag_kwargs()
        try:
            # R23 (a Belastingdienstmiddel only for a wettelijk vertegenwoordiger) is looked up by the service.
            services.middel_aanvragen(actor=request.user, organisatie=request.beheer.organisatie, **argumenten)
        except DomainError as fout:
            form.toon_domeinfout(fout)
        else:
            messages.success(request, _("De gebruiker is succesvol toegevoegd."))
            return redirect(_overzicht_url())
    # A browser cannot keep a chosen file after an error, so the page names the files to choose again.
    bestanden = [f.name for f in request.FILES.values()]
    return render(request, PAGINA, _context(request, form, gekozen_bestanden=bestanden))


@require_GET
@beheerder_required
def toevoegen_kosten(request):
    """The cost overview as a fragment, with the "Voeg gebruiker toe" button enabled only once costs are accepted."""
    form = _form(request, request.GET, met_prijzen=False)
    keuzes = form.keuzes()
    return render(
        request,
        f"{PAGINA}#kosten",
        {"form": form, "keuzes": keuzes, "kosten": kosten_overzicht(keuzes), "oob": True},
    )


urlpatterns = [
    path("toevoegen/", toevoegen, name="toevoegen"),
    path("toevoegen/kosten/", toevoegen_kosten, name="toevoegen_kosten"),
]

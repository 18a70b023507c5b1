"""Pop-ups for the machtigingen of one person (§3.9, §3.10, §3.11): toevoegen, einddatum (potlood), verlengen and
intrekken with the manual's 3-second undo (R30–R39). Same three ways of serving as the mutaties
(`gebruikers.views.popup`); which choices can be made is `machtigingen.rules`. Einddatum, verlengen and intrekken
are shared with the rubriek Machtigingen (`machtigingen.views.popups`): here only the person's `Plek`.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common.errors import DomainError
from gebruikers.templatetags.gebruikers_mutaties import ververs_event
from gebruikers.views.popup import GET_POST, basis_context, gelukt, haal_details, popup
from machtigingen import rules
from machtigingen import selectors_toevoegen as keuzes
from machtigingen import services as machtiging_services
from machtigingen.forms_toevoegen import DienstenKeuzeForm
from machtigingen.views import popups


def _machtiging(details, machtiging_id: int):
    """A running machtiging of this person at this organisation; revoked, expired or foreign ones → 404."""
    for regel in details.machtigingen:
        if regel.machtiging.pk == machtiging_id:
            return regel.machtiging
    raise Http404


# --- §3.9 Voeg machtiging toe (R30, R31, R33, R39, R70) -------------------------------------------------------


@GET_POST
@beheerder_required
def machtiging_toevoegen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    middel = details.middel
    beheerder_niveau = request.beheer.middel.niveau
    # The same form and choices as Kies diensten of the rubriek (machtigingen.forms_toevoegen), for one person:
    # what the person (R31) or the beheerder (R39) cannot get is shown greyed, with the reason.
    form = DienstenKeuzeForm(
        request.POST if request.method == "POST" else request.GET, zoek_url=f"{request.path}?deel=diensten"
    )
    form.is_valid()
    gekozen = form.gekozen()
    if request.method == "POST" and not form.errors:
        try:
            # ONE call for every chosen machtiging: one action, one message to the person (R37).
            machtiging_services.machtiging_toevoegen(
                actor=request.user,
                organisatie=request.beheer.organisatie,
                middelen=[middel],
                diensten=gekozen["diensten"],
                algemene_niveaus=gekozen["algemene_niveaus"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return gelukt(
                request,
                persoon_id,
                _("De machtiging(en) voor %(naam)s zijn toegevoegd.") % {"naam": details.persoon.naam},
            )
    actief = rules.mag_machtiging_krijgen(middel, details.koppeling)
    meer = False
    if actief:
        diensten, meer = keuzes.dienst_keuzes(
            beheerder_niveau=beheerder_niveau,
            middel_niveau=middel.niveau,
            zoek=form.cleaned_data.get("zoek", ""),
            gekozen=gekozen["diensten"],
        )
        form.toon(
            algemeen=keuzes.algemeen_keuzes(beheerder_niveau=beheerder_niveau, middel_niveau=middel.niveau),
            diensten=diensten,
        )
    ctx = basis_context(
        request, details, form=form, actief=actief, niet_actief=machtiging_services.NIET_ACTIEF, meer=meer
    )
    if request.htmx and request.GET.get("deel") == "diensten":
        return render(request, "gebruikers/machtigingen/toevoegen.html#diensten", ctx)
    template = "gebruikers/machtigingen/toevoegen.html" if actief else "gebruikers/machtigingen/niet_actief.html"
    return popup(request, template, ctx, titel=_("Voeg machtiging toe"))


# --- §3.10, §3.11 Wijzig de einddatum (potlood), Verleng machtiging, Intrekken (R33, R34, R35) ----------------
# Written once in machtigingen.views.popups, shared with the rubriek Machtigingen; here only where they live.


def _plek(request, details) -> popups.Plek:
    """The pop-ups of this person: served as the mutaties are, success reloads the person's details."""
    persoon_id = details.persoon.pk

    def _popup(template, context, *, titel, als_dialog=False):
        ctx = basis_context(request, details, **context)
        return popup(request, template, ctx, titel=titel, als_dialog=als_dialog)

    return popups.Plek(
        popup=_popup,
        gelukt=lambda bericht: gelukt(request, persoon_id, bericht),
        ververs_event=ververs_event(persoon_id),
    )


@GET_POST
@beheerder_required
def machtiging_einddatum(request, persoon_id: int, machtiging_id: int):
    details = haal_details(request, persoon_id)
    return popups.einddatum(request, _plek(request, details), _machtiging(details, machtiging_id))


@GET_POST
@beheerder_required
def machtiging_verlengen(request, persoon_id: int, machtiging_id: int):
    details = haal_details(request, persoon_id)
    return popups.verlengen(request, _plek(request, details), _machtiging(details, machtiging_id))


@GET_POST
@beheerder_required
def machtiging_intrekken(request, persoon_id: int, machtiging_id: int):
    """GET: the confirmation page (without JavaScript). POST: revoke at once and for good (see popups.intrekken)."""
    details = haal_details(request, persoon_id)
    return popups.intrekken(request, _plek(request, details), _machtiging(details, machtiging_id))


urlpatterns = [
    path("<int:persoon_id>/machtigingen/toevoegen/", machtiging_toevoegen, name="machtiging_toevoegen"),
    path(
        "<int:persoon_id>/machtigingen/<int:machtiging_id>/einddatum/",
        machtiging_einddatum,
        name="machtiging_einddatum",
    ),
    path(
        "<int:persoon_id>/machtigingen/<int:machtiging_id>/verlengen/",
        machtiging_verlengen,
        name="machtiging_verlengen",
    ),
    path(
        "<int:persoon_id>/machtigingen/<int:machtiging_id>/intrekken/",
        machtiging_intrekken,
        name="machtiging_intrekken",
    ),
]

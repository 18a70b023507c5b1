"""Many relations at once from an .xlsx/.csv file (R43): upload → a preview of every row (what will be sent,
or why not) → only the accepted rows are sent, in one step. The parsed rows wait in the session between the
two steps; the service judges them again when sending."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beheer.decorators import beheerder_required
from common.errors import DomainError
from ketenmachtigingen import services as keten
from ketenmachtigingen.forms_relaties import BestandForm
from ketenmachtigingen.services.uitnodigingen import module_ingeschakeld

SESSIE_SLEUTEL = "ketenmachtigingen_relaties_bestand"


@require_http_methods(["GET", "POST"])
@beheerder_required
def bestand(request):
    organisatie = request.beheer.organisatie
    if not module_ingeschakeld(organisatie):
        messages.error(request, _("Relaties uitnodigen kan pas als de module ketenmachtigingen is ingeschakeld."))
        return redirect("ketenmachtigingen:van_relaties")
    form = BestandForm(request.POST or None, request.FILES or None)
    beoordeeld = None
    if request.method == "POST" and form.is_valid():
        try:
            beoordeeld = keten.relaties_beoordelen(intermediair=organisatie, rijen=form.rijen)
        except DomainError as e:
            form.add_error("bestand", str(e.message))
        else:
            request.session[SESSIE_SLEUTEL] = {"organisatie": organisatie.pk, "rijen": form.rijen}
    return render(
        request,
        "ketenmachtigingen/relaties_bestand.html",
        {
            "form": form,
            "beoordeeld": beoordeeld,
            "aantal_geldig": sum(1 for r in beoordeeld or () if r.geldig),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@beheerder_required
def bestand_versturen(request):
    organisatie = request.beheer.organisatie
    opgeslagen = request.session.get(SESSIE_SLEUTEL) or {}
    if opgeslagen.get("organisatie") != organisatie.pk or not opgeslagen.get("rijen"):
        messages.error(request, _("Er is geen bestand om te versturen. Kies het bestand opnieuw."))
        return redirect("ketenmachtigingen:relaties_bestand")
    try:
        verstuurd = keten.relaties_uitnodigen(
            actor=request.user, intermediair=organisatie, rijen=opgeslagen["rijen"], alleen_geldige=True
        )
    except DomainError as e:
        messages.error(request, str(e.message))
        return redirect("ketenmachtigingen:relaties_bestand")
    del request.session[SESSIE_SLEUTEL]
    messages.success(request, _("%(aantal)d uitnodiging(en) verstuurd.") % {"aantal": len(verstuurd)})
    return redirect("ketenmachtigingen:van_relaties")

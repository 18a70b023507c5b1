"""Logboek (R74): the beheerder reads and downloads the audit trail of the chosen organisation; nobody edits it.

Both views only read (GET); the download itself is kept in the trail, as a copy of the trail leaves the system.
"""

from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from audit import export
from audit.acties import Actie
from audit.forms import LogboekZoekForm
from audit.selectors import logboek_pagina
from audit.services import audit_log
from beheer.decorators import beheerder_required
from common.export import csv_response


def _zoekparameters(request) -> QueryDict:
    """The search as the person entered it, without the page position and the format."""
    params = request.GET.copy()
    for sleutel in ("na", "formaat"):
        params.pop(sleutel, None)
    return params


@require_GET
@beheerder_required
def overzicht(request):
    organisatie = request.beheer.organisatie
    params = _zoekparameters(request)
    form = LogboekZoekForm(params or None)
    # A search that cannot be read shows its errors and no entries, rather than entries it did not ask for.
    pagina = (
        logboek_pagina(organisatie=organisatie, filter=form.filter(), na=request.GET.get("na"))
        if (not form.is_bound or form.is_valid())
        else None
    )
    volgende_url = None
    if pagina and pagina.volgende:
        volgende = params.copy()
        volgende["na"] = pagina.volgende
        volgende_url = f"{request.path}?{volgende.urlencode()}"
    zoek = params.urlencode()
    return render(
        request,
        "logboek/overzicht.html",
        {
            "organisatie": organisatie,
            "form": form,
            "pagina": pagina,
            "volgende_url": volgende_url,
            "eerste_url": f"{request.path}?{zoek}" if request.GET.get("na") else None,
            "download_query": f"&{zoek}" if zoek else "",
        },
    )


@require_GET
@beheerder_required
def download(request):
    formaat = request.GET.get("formaat", "xlsx")
    if formaat not in export.FORMATEN:
        raise Http404
    organisatie = request.beheer.organisatie
    params = _zoekparameters(request)
    form = LogboekZoekForm(params or None)
    if form.is_bound and not form.is_valid():
        # Back to the screen, which shows what is wrong with the search; nothing is downloaded.
        return redirect(f"{reverse('logboek:overzicht')}?{params.urlencode()}")
    filter = form.filter()
    audit_log(
        actor=request.user,
        organisatie=organisatie,
        actie=Actie.LOGBOEK_GEDOWNLOAD,
        omschrijving=_("Logboek gedownload (%(formaat)s)") % {"formaat": formaat},
        na={"zoekopdracht": {k: v for k, v in params.items() if v}} if params else None,
    )
    rijen = export.export_rijen(organisatie=organisatie, filter=filter)
    bestandsnaam = export.bestandsnaam(organisatie, formaat)
    if formaat == "xlsx":
        response = FileResponse(
            export.xlsx_bestand(rijen),
            as_attachment=True,
            filename=bestandsnaam,
            content_type=export.XLSX_CONTENT_TYPE,
        )
    else:
        response = csv_response(export.csv_chunks(rijen), bestandsnaam=bestandsnaam)
    response["Cache-Control"] = "no-store"
    return response

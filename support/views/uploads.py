"""Staff-only upload views: a new edition of the Dienstencatalogus (R70) and a Handelsregister file."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogus.importer import catalogus_import
from common.errors import DomainError
from support import services
from support.forms import CatalogusUploadForm, HandelsregisterUploadForm
from support.views._common import admin_context, vereis


def catalogus_importeren(request, *, model_admin):
    """Upload a new edition and import it in this request (the importer is fast); a bad file changes nothing."""
    vereis(request, "catalogus.add_catalogusimport")
    form = CatalogusUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        bestand = form.cleaned_data["bestand"]
        try:
            resultaat = catalogus_import(inhoud=bestand.read(), bron=bestand.name, actor=request.user)
        except DomainError as exc:
            form.add_error("bestand", str(exc))
        else:
            messages.success(request, f"{bestand.name}: {resultaat.samenvatting}")
            return HttpResponseRedirect(reverse("admin:catalogus_catalogusimport_changelist"))
    context = admin_context(
        model_admin,
        request,
        title=_("Importeer nieuwe editie"),
        form=form,
        terug_url=reverse("admin:catalogus_catalogusimport_changelist"),
    )
    return TemplateResponse(request, "admin/support/upload.html", context)


def handelsregister_uploaden(request, *, model_admin):
    vereis(request, "handelsregister.add_inschrijving")
    form = HandelsregisterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        bestand = form.cleaned_data["bestand"]
        try:
            resultaat = services.handelsregister_bestand_laden(
                door=request.user, data=form.cleaned_data["data"], bestandsnaam=bestand.name
            )
        except DomainError as exc:
            form.add_error("bestand", str(exc))
        else:
            messages.success(
                request,
                _("%(naam)s: %(t)d toegevoegd, %(b)d bijgewerkt, %(o)d ongewijzigd.")
                % {
                    "naam": bestand.name,
                    "t": len(resultaat.toegevoegd),
                    "b": len(resultaat.bijgewerkt),
                    "o": len(resultaat.ongewijzigd),
                },
            )
            return HttpResponseRedirect(reverse("admin:handelsregister_inschrijving_changelist"))
    context = admin_context(
        model_admin,
        request,
        title=_("Nieuw Handelsregisterbestand laden"),
        form=form,
        terug_url=reverse("admin:handelsregister_inschrijving_changelist"),
    )
    return TemplateResponse(request, "admin/support/upload.html", context)

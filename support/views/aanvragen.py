"""Staff-only views for Aanvragen (R13, R18): approve or reject (one or in bulk), and the ID documents and
the activation letter as downloads."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.acties import Actie
from audit.services import audit_log
from common.errors import DomainError
from common.weergave import datum
from gebruikers import services as gebruikers
from gebruikers.models import Aanvraag, Middel
from gebruikers.services import upload_bestandstype
from support.forms import AfkeurenForm, BulkAfkeurenForm
from support.views._common import admin_context, change_url, download_headers, get_object, vereis

BEHANDELEN = "gebruikers.change_aanvraag"


def activeren_tot_tekst(middel: Middel | None) -> str:
    """R18's wording for a middel waiting for activation."""
    if middel is None or middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE or not middel.activeren_tot:
        return ""
    return _("Activeren mogelijk tot %(datum)s") % {"datum": datum(middel.activeren_tot)}


def _goedgekeurd_melding(aanvraag: Aanvraag) -> str:
    middel = Middel.objects.filter(pk=aanvraag.middel_id).first() if aanvraag.middel_id else None
    tekst = _("Aanvraag goedgekeurd: %(aanvraag)s.") % {"aanvraag": aanvraag}
    termijn = activeren_tot_tekst(middel)
    return f"{tekst} {termijn}." if termijn else tekst


@require_POST
def aanvraag_goedkeuren(request, object_id, *, model_admin):
    vereis(request, BEHANDELEN)
    aanvraag = get_object(model_admin, request, object_id)
    try:
        aanvraag = gebruikers.aanvraag_goedkeuren(aanvraag=aanvraag, door=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _goedgekeurd_melding(aanvraag))
    return HttpResponseRedirect(change_url(aanvraag))


def aanvraag_afkeuren(request, object_id, *, model_admin):
    """Asks the reason first (a page of its own, so it works without JavaScript), then rejects."""
    vereis(request, BEHANDELEN)
    aanvraag = get_object(model_admin, request, object_id)
    form = AfkeurenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gebruikers.aanvraag_afkeuren(aanvraag=aanvraag, door=request.user, reden=form.cleaned_data["reden"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Aanvraag afgekeurd: %(aanvraag)s.") % {"aanvraag": aanvraag})
            return HttpResponseRedirect(change_url(aanvraag))
    context = admin_context(
        model_admin,
        request,
        aanvraag,
        title=_("Aanvraag afkeuren"),
        form=form,
        aanvragen=[aanvraag],
        terug_url=change_url(aanvraag),
    )
    return TemplateResponse(request, "admin/support/afkeuren.html", context)


def aanvragen_goedkeuren(model_admin, request, queryset) -> None:
    """Bulk action: each aanvraag through the service on its own, so one refusal does not stop the others."""
    gelukt = 0
    for aanvraag in queryset.order_by("-spoed", "aangevraagd_op", "pk"):
        try:
            gebruikers.aanvraag_goedkeuren(aanvraag=aanvraag, door=request.user)
        except DomainError as exc:
            model_admin.message_user(request, f"{aanvraag}: {exc}", messages.ERROR)
        else:
            gelukt += 1
    if gelukt:
        model_admin.message_user(
            request,
            ngettext("%(n)d aanvraag goedgekeurd.", "%(n)d aanvragen goedgekeurd.", gelukt) % {"n": gelukt},
            messages.SUCCESS,
        )


def aanvragen_afkeuren(model_admin, request, queryset):
    """Bulk action with an intermediate page asking the reason once for all selected aanvragen."""
    if "reden" in request.POST:
        form = BulkAfkeurenForm(request.POST)
        if form.is_valid():
            gelukt = 0
            for aanvraag in queryset.order_by("-spoed", "aangevraagd_op", "pk"):
                try:
                    gebruikers.aanvraag_afkeuren(aanvraag=aanvraag, door=request.user, reden=form.cleaned_data["reden"])
                except DomainError as exc:
                    model_admin.message_user(request, f"{aanvraag}: {exc}", messages.ERROR)
                else:
                    gelukt += 1
            if gelukt:
                model_admin.message_user(
                    request,
                    ngettext("%(n)d aanvraag afgekeurd.", "%(n)d aanvragen afgekeurd.", gelukt) % {"n": gelukt},
                    messages.SUCCESS,
                )
            return None
    else:
        form = BulkAfkeurenForm(initial={"_selected_action": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)})
    context = admin_context(
        model_admin,
        request,
        title=_("Aanvragen afkeuren"),
        form=form,
        aanvragen=list(queryset.select_related("organisatie", "middel__persoon")),
        actie="afkeuren",
        action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
        terug_url=reverse("admin:gebruikers_aanvraag_changelist"),
    )
    return TemplateResponse(request, "admin/support/afkeuren.html", context)


# Content types by the file's first bytes (never by the uploaded name, which the beheerder chose).
_MIME = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "tiff": ("image/tiff", "tif"),
    "bmp": ("image/bmp", "bmp"),
}


def aanvraag_id_document(request, object_id, zijde, *, model_admin):
    """Stream an uploaded ID document from the private storage, as a download, to staff allowed to view it.

    There is no public URL for these files: the storage has no base URL and no URL pattern serves it.
    """
    vereis(request, "gebruikers.view_aanvraag")
    aanvraag = get_object(model_admin, request, object_id)
    veld = {"voorzijde": aanvraag.id_document_voorzijde, "achterzijde": aanvraag.id_document_achterzijde}.get(zijde)
    if not veld:
        raise Http404
    try:
        bestand = veld.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    soort = upload_bestandstype(bestand)
    mime, extensie = _MIME.get(soort, ("application/octet-stream", "bin"))
    # Reading an identity document is recorded too: who looked at whose personal data, and when.
    audit_log(
        actor=request.user,
        organisatie=aanvraag.organisatie,
        actie=Actie.AANVRAAG_ID_DOCUMENT_GEDOWNLOAD,
        omschrijving=_("Identiteitsdocument (%(zijde)s) van aanvraag %(id)s gedownload")
        % {"zijde": zijde, "id": aanvraag.pk},
        object=aanvraag,
    )
    response = FileResponse(
        bestand, as_attachment=True, filename=f"aanvraag-{aanvraag.pk}-{zijde}.{extensie}", content_type=mime
    )
    download_headers(response)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def aanvraag_activatiebrief(request, object_id, *, model_admin):
    """The EH2+ activation letter (R15) for support to print and post to the company address."""
    vereis(request, "gebruikers.view_aanvraag")
    aanvraag = get_object(model_admin, request, object_id)
    if not aanvraag.activatiebrief:
        raise Http404
    try:
        bestand = aanvraag.activatiebrief.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        bestand, as_attachment=True, filename=f"activatiebrief-{aanvraag.pk}.pdf", content_type="application/pdf"
    )
    return download_headers(response)

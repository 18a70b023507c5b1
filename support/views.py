"""Staff-only views behind the Django admin (registered by the apps' ModelAdmins through `get_urls()`).

Every view here is wrapped in `admin_site.admin_view` (active staff only, CSRF, never cached) by `admin_urls`
and checks its own model permission on top, so a staff member without it gets 403. Views stay thin: they
parse a form, call a domain service, and show a `DomainError` with `messages.error` (nothing changed).
"""

import csv
import json
from functools import partial, update_wrapper

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.services import audit_log
from catalogus.importer import catalogus_import
from common.errors import DomainError
from common.pdf import render_pdf
from gebruikers import services as gebruikers
from gebruikers.models import Aanvraag, Middel
from gebruikers.services import upload_bestandstype
from ketenmachtigingen import services as keten

from . import services
from .forms import AcceptatieForm, AfkeurenForm, BulkAfkeurenForm, CatalogusUploadForm, HandelsregisterUploadForm

# --- wiring ------------------------------------------------------------------------------------------------


def admin_urls(model_admin, routes):
    """URL patterns for `ModelAdmin.get_urls()`: each view gets the model admin and sits behind admin_view.

    `routes` holds (route, view, suffix); the URL name is `<app>_<model>_<suffix>` in the admin namespace.
    """
    opts = model_admin.model._meta
    patterns = []
    for route, view, suffix in routes:
        bound = partial(view, model_admin=model_admin)
        update_wrapper(bound, view)
        patterns.append(
            path(route, model_admin.admin_site.admin_view(bound), name=f"{opts.app_label}_{opts.model_name}_{suffix}")
        )
    return patterns


def _vereis(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _object(model_admin, request, object_id):
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        raise Http404
    return obj


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _context(model_admin, request, obj=None, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": obj,
        "has_view_permission": model_admin.has_view_permission(request, obj),
        **extra,
    }


def _datum(d) -> str:
    return d.strftime("%d-%m-%Y") if d else ""


def activeren_tot_tekst(middel: Middel | None) -> str:
    """R18's wording for a middel waiting for activation."""
    if middel is None or middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE or not middel.activeren_tot:
        return ""
    return _("Activeren mogelijk tot %(datum)s") % {"datum": _datum(middel.activeren_tot)}


# --- Aanvragen (R13, R18) ----------------------------------------------------------------------------------

BEHANDELEN = "gebruikers.change_aanvraag"


def _goedgekeurd_melding(aanvraag: Aanvraag) -> str:
    middel = Middel.objects.filter(pk=aanvraag.middel_id).first() if aanvraag.middel_id else None
    tekst = _("Aanvraag goedgekeurd: %(aanvraag)s.") % {"aanvraag": aanvraag}
    termijn = activeren_tot_tekst(middel)
    return f"{tekst} {termijn}." if termijn else tekst


@require_POST
def aanvraag_goedkeuren(request, object_id, *, model_admin):
    _vereis(request, BEHANDELEN)
    aanvraag = _object(model_admin, request, object_id)
    try:
        aanvraag = gebruikers.aanvraag_goedkeuren(aanvraag=aanvraag, door=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _goedgekeurd_melding(aanvraag))
    return HttpResponseRedirect(_change_url(aanvraag))


def aanvraag_afkeuren(request, object_id, *, model_admin):
    """Asks the reason first (a page of its own, so it works without JavaScript), then rejects."""
    _vereis(request, BEHANDELEN)
    aanvraag = _object(model_admin, request, object_id)
    form = AfkeurenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gebruikers.aanvraag_afkeuren(aanvraag=aanvraag, door=request.user, reden=form.cleaned_data["reden"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Aanvraag afgekeurd: %(aanvraag)s.") % {"aanvraag": aanvraag})
            return HttpResponseRedirect(_change_url(aanvraag))
    context = _context(
        model_admin,
        request,
        aanvraag,
        title=_("Aanvraag afkeuren"),
        form=form,
        aanvragen=[aanvraag],
        terug_url=_change_url(aanvraag),
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
    context = _context(
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
    _vereis(request, "gebruikers.view_aanvraag")
    aanvraag = _object(model_admin, request, object_id)
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
        actie="aanvraag.id_document_gedownload",
        omschrijving=_("Identiteitsdocument (%(zijde)s) van aanvraag %(id)s gedownload")
        % {"zijde": zijde, "id": aanvraag.pk},
        object=aanvraag,
    )
    response = FileResponse(
        bestand, as_attachment=True, filename=f"aanvraag-{aanvraag.pk}-{zijde}.{extensie}", content_type=mime
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def aanvraag_activatiebrief(request, object_id, *, model_admin):
    """The EH2+ activation letter (R15) for support to print and post to the company address."""
    _vereis(request, "gebruikers.view_aanvraag")
    aanvraag = _object(model_admin, request, object_id)
    if not aanvraag.activatiebrief:
        raise Http404
    try:
        bestand = aanvraag.activatiebrief.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        bestand, as_attachment=True, filename=f"activatiebrief-{aanvraag.pk}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The ketenmachtiging module (R43) ----------------------------------------------------------------------

MODULE_BEHANDELEN = "ketenmachtigingen.change_ketenmodule"


@require_POST
def ketenmodule_offerte_versturen(request, object_id, *, model_admin):
    _vereis(request, MODULE_BEHANDELEN)
    module = _object(model_admin, request, object_id)
    try:
        # The PDF is rendered inside the service's transaction: a quote that cannot be produced is not marked sent.
        module, offerte = services.ketenmodule_offerte_vastleggen_en_versturen(
            door=request.user,
            module=module,
            pdf_maken=lambda offerte: render_pdf("admin/support/offerte.html", _offerte_context(module, offerte)),
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Offerte %(nummer)s verstuurd aan %(organisatie)s.")
            % {"nummer": offerte.nummer, "organisatie": module.organisatie},
        )
    return HttpResponseRedirect(_change_url(module))


@require_POST
def ketenmodule_acceptatie(request, object_id, *, model_admin):
    _vereis(request, MODULE_BEHANDELEN)
    module = _object(model_admin, request, object_id)
    form = AcceptatieForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(_change_url(module))
    try:
        module = keten.ketenmodule_acceptatie_vastleggen(
            door=request.user, module=module, toelichting=form.cleaned_data["toelichting"]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Acceptatie van de offerte vastgelegd voor %(o)s.") % {"o": module.organisatie})
    return HttpResponseRedirect(_change_url(module))


@require_POST
def ketenmodule_inschakelen(request, object_id, *, model_admin):
    _vereis(request, MODULE_BEHANDELEN)
    module = _object(model_admin, request, object_id)
    try:
        module = keten.ketenmodule_inschakelen(door=request.user, module=module)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Module ketenmachtigingen ingeschakeld voor %(o)s.") % {"o": module.organisatie})
    return HttpResponseRedirect(_change_url(module))


def _offerte_context(module, offerte) -> dict:
    return {"module": module, "organisatie": module.organisatie, "offerte": offerte, "datum": _datum(offerte.datum)}


def ketenmodule_offerte_pdf(request, object_id, *, model_admin):
    """The quote as sent (amounts as recorded then), or a preview with today's tariff before sending."""
    _vereis(request, "ketenmachtigingen.view_ketenmodule")
    module = _object(model_admin, request, object_id)
    try:
        offerte = services.verstuurde_offerte(module=module) or services.offerte_opstellen(module=module)
    except DomainError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(_change_url(module))
    pdf = render_pdf("admin/support/offerte.html", _offerte_context(module, offerte))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="offerte-{offerte.nummer}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Uploads: Dienstencatalogus (R70) and Handelsregister --------------------------------------------------


def catalogus_importeren(request, *, model_admin):
    """Upload a new edition and import it in this request (the importer is fast); a bad file changes nothing."""
    _vereis(request, "catalogus.add_catalogusimport")
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
    context = _context(
        model_admin,
        request,
        title=_("Importeer nieuwe editie"),
        form=form,
        terug_url=reverse("admin:catalogus_catalogusimport_changelist"),
    )
    return TemplateResponse(request, "admin/support/upload.html", context)


def handelsregister_uploaden(request, *, model_admin):
    _vereis(request, "handelsregister.add_inschrijving")
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
    context = _context(
        model_admin,
        request,
        title=_("Nieuw Handelsregisterbestand laden"),
        form=form,
        terug_url=reverse("admin:handelsregister_inschrijving_changelist"),
    )
    return TemplateResponse(request, "admin/support/upload.html", context)


# --- The audit trail export (R74) ---------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


_FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")


def csv_veilig(waarde) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    tekst = "" if waarde is None else str(waarde)
    return "'" + tekst if tekst.startswith(_FORMULE_TEKENS) else tekst


def audit_export(request, *, model_admin):
    """The audit trail as CSV, with the changelist's filters and search applied; `?scheiding=;` for Dutch Excel."""
    _vereis(request, "audit.view_auditentry")
    params = request.GET.copy()
    scheiding = ";" if params.pop("scheiding", [","])[-1] == ";" else ","
    request.GET = params
    changelist = model_admin.get_changelist_instance(request)
    queryset = changelist.get_queryset(request).select_related("organisatie").order_by("-moment", "-id")
    writer = csv.writer(_Echo(), delimiter=scheiding)

    def rijen():
        yield writer.writerow(
            [
                str(kop)
                for kop in (
                    _("moment"),
                    _("door"),
                    _("organisatie"),
                    _("KvK-nummer"),
                    _("actie"),
                    _("omschrijving"),
                    _("object"),
                    _("voor"),
                    _("na"),
                )
            ]
        )
        for e in queryset.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    csv_veilig(timezone.localtime(e.moment).strftime("%d-%m-%Y %H:%M:%S")),
                    csv_veilig(e.actor_label),
                    csv_veilig(e.organisatie.naam if e.organisatie else ""),
                    csv_veilig(e.organisatie.kvk_nummer if e.organisatie else ""),
                    csv_veilig(e.actie),
                    csv_veilig(e.omschrijving),
                    csv_veilig(f"{e.object_type} {e.object_id}".strip()),
                    csv_veilig(json.dumps(e.voor, ensure_ascii=False) if e.voor is not None else ""),
                    csv_veilig(json.dumps(e.na, ensure_ascii=False) if e.na is not None else ""),
                ]
            )

    response = StreamingHttpResponse(rijen(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audittrail-{timezone.localdate():%Y%m%d}.csv"'
    return response

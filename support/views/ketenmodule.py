"""Staff-only views for the ketenmachtiging module (R43): send the quote, record its acceptance, switch the
module on, and the quote as PDF."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.pdf import render_pdf
from common.weergave import datum
from ketenmachtigingen import services as keten
from support import services
from support.forms import AcceptatieForm
from support.views._common import change_url, download_headers, get_object, vereis

MODULE_BEHANDELEN = "ketenmachtigingen.change_ketenmodule"


def _offerte_context(module, offerte) -> dict:
    return {"module": module, "organisatie": module.organisatie, "offerte": offerte, "datum": datum(offerte.datum)}


@require_POST
def ketenmodule_offerte_versturen(request, object_id, *, model_admin):
    vereis(request, MODULE_BEHANDELEN)
    module = get_object(model_admin, request, object_id)
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
    return HttpResponseRedirect(change_url(module))


@require_POST
def ketenmodule_acceptatie(request, object_id, *, model_admin):
    vereis(request, MODULE_BEHANDELEN)
    module = get_object(model_admin, request, object_id)
    form = AcceptatieForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(change_url(module))
    try:
        module = keten.ketenmodule_acceptatie_vastleggen(
            door=request.user, module=module, toelichting=form.cleaned_data["toelichting"]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Acceptatie van de offerte vastgelegd voor %(o)s.") % {"o": module.organisatie})
    return HttpResponseRedirect(change_url(module))


@require_POST
def ketenmodule_inschakelen(request, object_id, *, model_admin):
    vereis(request, MODULE_BEHANDELEN)
    module = get_object(model_admin, request, object_id)
    try:
        module = keten.ketenmodule_inschakelen(door=request.user, module=module)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Module ketenmachtigingen ingeschakeld voor %(o)s.") % {"o": module.organisatie})
    return HttpResponseRedirect(change_url(module))


def ketenmodule_offerte_pdf(request, object_id, *, model_admin):
    """The quote as sent (amounts as recorded then), or a preview with today's tariff before sending."""
    vereis(request, "ketenmachtigingen.view_ketenmodule")
    module = get_object(model_admin, request, object_id)
    try:
        offerte = services.verstuurde_offerte(module=module) or services.offerte_opstellen(module=module)
    except DomainError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(change_url(module))
    pdf = render_pdf("admin/support/offerte.html", _offerte_context(module, offerte))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="offerte-{offerte.nummer}.pdf"'
    return download_headers(response)

"""Ketenmachtigingen van relaties (§5.1, R43, R44, R45, R47): the intermediair's page, its module request,
inviting one relation, resending and withdrawing invitations. The file upload is in `relaties_bestand`, the
received ketenmachtigingen (linking, revoking) in `ontvangen`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beheer.decorators import beheerder_required
from common.dates import vandaag
from common.errors import DomainError
from ketenmachtigingen import rules, selectors
from ketenmachtigingen import services as keten
from ketenmachtigingen.forms_relaties import BestandForm, ModuleAanvragenForm, UitnodigenForm
from ketenmachtigingen.models import KetenModule
from ketenmachtigingen.selectors_afgegeven import relatie_dienst_keuzes
from ketenmachtigingen.services.uitnodigingen import module_ingeschakeld
from machtigingen.forms_toevoegen import ingediende_keuzes


def pagina_context(organisatie) -> dict:
    """Everything the van-relaties page shows, in a fixed number of queries whatever the number of rows."""
    module = selectors.ketenmodule_van(organisatie)
    dag = vandaag()
    middelen = list(selectors.keten_middelen(organisatie, dag=dag))
    uitnodigingen = selectors.uitnodigingen_van(organisatie) if module else []
    groepen = selectors.ontvangen_per_relatie(organisatie, dag=dag)
    for groep in groepen:
        for k in groep.ketenmachtigingen:
            k.mag_intrekken = rules.mag_intermediair_intrekken(k, dag)
    for u in uitnodigingen:
        u.mag_intrekken = rules.mag_uitnodiging_intrekken(u)
        u.mag_opnieuw = rules.mag_uitnodiging_opnieuw_versturen(u)
    return {
        "organisatie": organisatie,
        "module": module,
        "ingeschakeld": module is not None and module.status == KetenModule.Status.INGESCHAKELD,
        "module_form": ModuleAanvragenForm(),
        "uitnodigingen": uitnodigingen,
        "groepen": groepen,
        # Options rendered from this one list, so the page's queries do not grow with its rows.
        "middelen": middelen,
    }


@require_GET
@beheerder_required
def van_relaties(request):
    return render(request, "ketenmachtigingen/relaties.html", pagina_context(request.beheer.organisatie))


@require_POST
@beheerder_required
def module_aanvragen(request):
    form = ModuleAanvragenForm(request.POST)
    form.is_valid()
    try:
        keten.ketenmodule_aanvragen(
            actor=request.user, organisatie=request.beheer.organisatie, spoed=form.cleaned_data.get("spoed", False)
        )
    except DomainError as e:
        messages.error(request, str(e.message))
    else:
        messages.success(
            request,
            _("Uw aanvraag voor de module ketenmachtigingen is ontvangen. U ontvangt de offerte per e-mail."),
        )
    return redirect("ketenmachtigingen:van_relaties")


@require_http_methods(["GET", "POST"])
@beheerder_required
def uitnodigen(request):
    organisatie = request.beheer.organisatie
    if not module_ingeschakeld(organisatie):
        messages.error(request, _("Relaties uitnodigen kan pas als de module ketenmachtigingen is ingeschakeld."))
        return redirect("ketenmachtigingen:van_relaties")
    deel = request.GET.get("deel", "")
    data = request.POST if request.method == "POST" else (request.GET if deel else None)
    form = UitnodigenForm(data, zoek_url=f"{request.path}?deel=diensten")
    gekozen = ingediende_keuzes(data)
    keuzes = relatie_dienst_keuzes(
        zoek=gekozen["zoek"], gekozen_diensten=gekozen["dienst"], gekozen_dienstverleners=gekozen["dienstverlener"]
    )
    form.toon(algemeen=keuzes.algemeen, diensten=keuzes.diensten, dienstverleners=keuzes.dienstverleners)
    if request.htmx and deel == "diensten":
        return render(
            request, "ketenmachtigingen/relaties_uitnodigen.html#diensten", {"form": form, "meer": keuzes.meer}
        )
    if request.method == "POST" and request.POST.get("actie") != "zoek" and form.is_valid():
        data = form.cleaned_data
        try:
            verstuurd = keten.relatie_uitnodigen(
                actor=request.user,
                intermediair=organisatie,
                kvk_nummer=data["kvk_nummer"],
                email=data["email"],
                naam=data["naam"],
                keuzes=form.keuzes(),
                looptijd_jaren=data["looptijd_jaren"],
                spoed=data["spoed"],
            )
        except DomainError as e:
            # The refusal under the field it is about, when it names one; else above the form.
            form.add_error(e.code if e.code in form.fields else None, str(e.message))
        else:
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s.") % {"email": verstuurd.uitnodiging.email},
            )
            return redirect("ketenmachtigingen:van_relaties")
    return render(
        request,
        "ketenmachtigingen/relaties_uitnodigen.html",
        {"form": form, "bestand_form": BestandForm(), "meer": keuzes.meer},
        status=400 if request.method == "POST" and form.errors else 200,
    )


def _uitnodiging(request, pk: int):
    u = selectors.uitnodiging_van(request.beheer.organisatie, pk)
    if u is None:
        raise Http404
    return u


@require_POST
@beheerder_required
def uitnodiging_opnieuw(request, uitnodiging_id: int):
    u = _uitnodiging(request, uitnodiging_id)
    try:
        keten.uitnodiging_opnieuw_versturen(actor=request.user, intermediair=request.beheer.organisatie, uitnodiging=u)
    except DomainError as e:
        messages.error(request, str(e.message))
    else:
        messages.success(request, _("De uitnodiging is opnieuw verstuurd naar %(email)s.") % {"email": u.email})
    return redirect("ketenmachtigingen:van_relaties")


@require_POST
@beheerder_required
def uitnodiging_intrekken(request, uitnodiging_id: int):
    u = _uitnodiging(request, uitnodiging_id)
    try:
        keten.uitnodiging_intrekken(actor=request.user, intermediair=request.beheer.organisatie, uitnodiging=u)
    except DomainError as e:
        messages.error(request, str(e.message))
    else:
        messages.success(request, _("De uitnodiging aan KvK %(kvk)s is ingetrokken.") % {"kvk": u.kvk_nummer})
    return redirect("ketenmachtigingen:van_relaties")

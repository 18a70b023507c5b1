"""*+ Voeg toe* — Leg een nieuwe ketenmachtiging vast (§5.2, seeds 000/001, R39, R40, R42, R73).

The steps of seed 001 on one page: 1. *Kies een intermediair* (the KVK-nummer, looked up in the Handelsregister
by *Selecteer bedrijf*, a plain GET), 2. *Kies diensten*, 3. *Kies de duur van de machtigingen*, the e-mail to
inform the intermediair and the cost acceptance, then *Leg ketenmachtiging vast* (POST). *+ Voeg machtiging
toe* on an intermediair already listed starts at step 2. The diensten narrow down live as one searches (HTMX);
without JavaScript the *Zoek* button posts the form back with every choice kept.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beheer.decorators import beheerder_required
from common.errors import DomainError
from facturatie.services import bereken_kosten
from handelsregister.backend import get_handelsregister
from handelsregister.errors import OrganisatieNietGevonden
from ketenmachtigingen import rules
from ketenmachtigingen import services as keten
from ketenmachtigingen.forms_afgegeven import AfgevenForm, KvkForm
from ketenmachtigingen.selectors import is_nieuwe_intermediair
from ketenmachtigingen.selectors_afgegeven import afgegeven_intermediair, dienst_keuzes
from ketenmachtigingen.views.afgegeven import overzicht_url
from organisaties.models import Organisatie

PAGINA = "ketenmachtigingen/afgegeven_toevoegen.html"


@dataclass(frozen=True)
class Bedrijf:
    """The intermediair as *Selecteer bedrijf* shows it: Algemeen (name, KVK-nummer) and Locatie."""

    kvk_nummer: str
    naam: str
    adres: str
    plaats: str
    # The Handelsregister address record, used when the intermediair is registered for the first time.
    adres_record: object = None

    @classmethod
    def van_organisatie(cls, organisatie: Organisatie) -> "Bedrijf":
        return cls(
            kvk_nummer=organisatie.kvk_nummer,
            naam=organisatie.naam,
            adres=f"{organisatie.straat} {organisatie.huisnummer}".strip(),
            plaats=f"{organisatie.postcode} {organisatie.plaats}".strip(),
        )


def bedrijf_opzoeken(kvk: str) -> Bedrijf:
    """Look the KVK-nummer up in the Handelsregister (R40). An organisation this platform already holds under
    that number is accepted when the register does not know it (a register with only part of the country)."""
    try:
        profiel = get_handelsregister().zoek_op_kvk_nummer(kvk)
    except OrganisatieNietGevonden:
        bekend = Organisatie.objects.filter(kvk_nummer=kvk).order_by("vestigingsnummer", "pk").first()
        if bekend is None:
            raise
        return Bedrijf.van_organisatie(bekend)
    return Bedrijf(
        kvk_nummer=profiel.kvk_nummer,
        naam=profiel.naam,
        adres=profiel.adres.straatregel,
        plaats=profiel.adres.plaatsregel,
        adres_record=profiel.adres,
    )


def _kies_intermediair(request, verlener) -> tuple[KvkForm, Bedrijf | None]:
    """Step 1: the KVK-nummer from *Selecteer bedrijf* (GET) or carried along in the form (POST)."""
    bron = request.POST if request.method == "POST" else request.GET
    if "kvk" not in bron:
        # ✎ next to a chosen intermediair comes back here with its number filled in.
        return KvkForm(initial={"kvk": request.GET.get("wijzig", "")[:20]}), None
    form = KvkForm(bron)
    if not form.is_valid():
        return form, None
    kvk = form.cleaned_data["kvk"]
    if rules.is_eigen_organisatie(verlener, kvk):
        form.add_error("kvk", str(rules.EIGEN_ORGANISATIE))
        return form, None
    try:
        return form, bedrijf_opzoeken(kvk)
    except DomainError as fout:
        form.add_error("kvk", str(fout))
        return form, None


def _kosten(nieuw: bool) -> tuple[object, str]:
    """The yearly price per new intermediair from the tariff table (R40), or why it cannot be shown."""
    if not nieuw:
        return None, ""
    try:
        return bereken_kosten(ketenmachtiging_intermediairs=1).totaal, ""
    except DomainError as fout:
        return None, str(fout)


@require_http_methods(["GET", "POST"])
@beheerder_required
def toevoegen(request, intermediair_id: int | None = None):
    verlener = request.beheer.organisatie
    bestaand = None
    if intermediair_id is not None:
        bestaand = afgegeven_intermediair(verlener, intermediair_id)
        if bestaand is None:
            raise Http404
    weigering = rules.afgeven_weigering(request.beheer.middel)
    if weigering is not None:
        # R40: shown why, and a direct POST changes nothing.
        return render(
            request,
            "ketenmachtigingen/afgegeven_geweigerd.html",
            {"weigering": str(weigering), "terug_url": overzicht_url()},
            status=403,
        )

    ctx = {"organisatie": verlener, "terug_url": overzicht_url(intermediair_id), "actie_url": request.path}
    if bestaand is not None:
        bedrijf, kvk_form = Bedrijf.van_organisatie(bestaand.intermediair), None
    else:
        kvk_form, bedrijf = _kies_intermediair(request, verlener)
        if bedrijf is None:
            return render(request, PAGINA, {**ctx, "kvk_form": kvk_form})

    deel = request.GET.get("deel", "")
    data = request.POST if request.method == "POST" else (request.GET if deel else None)
    form = AfgevenForm(data, zoek_url=f"{request.path}?deel=diensten")
    if form.is_bound:
        form.is_valid()
    if request.method == "POST" and not form.errors and request.POST.get("actie") != "zoek":
        try:
            afgifte = keten.ketenmachtiging_afgeven(
                actor=request.user,
                verlener=verlener,
                intermediair_kvk=bedrijf.kvk_nummer,
                intermediair_naam=bedrijf.naam,
                intermediair_adres=bedrijf.adres_record,
                eindigt_op=form.eindigt_op(),
                intermediair_email=form.cleaned_data["email"],
                kosten_geaccepteerd=form.cleaned_data["akkoord"],
                **form.gekozen(),
            )
        except DomainError as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(
                request,
                _("De ketenmachtiging voor %(naam)s is vastgelegd.") % {"naam": afgifte.intermediair_naam},
            )
            if afgifte.intermediair_email:
                messages.info(
                    request,
                    _("Wij informeren de intermediair per e-mail op %(email)s.")
                    % {"email": afgifte.intermediair_email},
                )
            return redirect(reverse("ketenmachtigingen:afgegeven_informatie", args=[afgifte.intermediair.pk]))

    gekozen = form.gekozen()
    keuzes = dienst_keuzes(
        beheerder_niveau=request.beheer.middel.niveau,
        zoek=getattr(form, "cleaned_data", {}).get("zoek", ""),
        gekozen_diensten=gekozen["diensten"],
        gekozen_dienstverleners=gekozen["dienstverleners"],
    )
    form.toon(algemeen=keuzes.algemeen, diensten=keuzes.diensten, dienstverleners=keuzes.dienstverleners)
    nieuw = bestaand is None and is_nieuwe_intermediair(verlener, bedrijf.kvk_nummer)
    kosten, kosten_fout = _kosten(nieuw)
    ctx.update(
        kvk_form=kvk_form,
        bedrijf=bedrijf,
        bestaand=bestaand,
        form=form,
        meer=keuzes.meer,
        nieuw=nieuw,
        kosten=kosten,
        kosten_fout=kosten_fout,
        wijzig_url=f"{reverse('ketenmachtigingen:afgegeven_toevoegen')}?wijzig={bedrijf.kvk_nummer}",
    )
    if request.htmx and deel == "diensten":
        return render(request, f"{PAGINA}#diensten", ctx)
    return render(request, PAGINA, ctx)

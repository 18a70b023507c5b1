"""Pop-ups for every action on one person (§3.1.1, §3.2.2, §3.4, §3.5.3, §3.7, §3.8): rol, koppelen, opzeggen,
nieuwe uitnodiging, telefoon, e-mail, niveau and type.

Each action URL serves three ways: a full page without JavaScript, a `<dialog>` when loaded with HTMX (GET), and
the dialog's inner content when its form is re-rendered after a refusal (HTMX POST). On success the dialog
closes, the person's details (`#details-<persoon_id>`) reload and the confirmation is shown.
"""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beheer.decorators import beheerder_required
from common.errors import DomainError
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from facturatie import services as facturatie
from gebruikers import forms_mutaties as forms
from gebruikers import services
from gebruikers.exports import mobiel_nationaal
from gebruikers.models import Koppeling, Middel
from gebruikers.selectors import (
    NIET_GEACTIVEERD,
    VERBORGEN_STATUSSEN,
    GebruikerDetails,
    gebruiker_details,
)

GET_POST = require_http_methods(["GET", "POST"])

# --- Shared by every pop-up (also the machtigingen ones) -------------------------------------------------------


def details_url(persoon_id: int) -> str:
    return reverse("gebruikers:details", args=[persoon_id])


def overzicht_url() -> str:
    return reverse("gebruikers:overzicht")


def ververs_event(persoon_id: int) -> str:
    """The client event on which the details region of this person reloads (see `_acties.html`)."""
    return f"bm-details-{persoon_id}"


def haal_details(request, persoon_id: int) -> GebruikerDetails:
    """The person as the beheerder of the chosen organisation sees them; foreign or missing → 404 (R4)."""
    try:
        return gebruiker_details(organisatie=request.beheer.organisatie, persoon_id=persoon_id)
    except Koppeling.DoesNotExist:
        raise Http404 from None


def popup(
    request, template: str, context: dict, *, titel: str, status: int = 200, als_dialog: bool = False
) -> HttpResponse:
    """Render one pop-up as a page (no JavaScript), as a dialog (HTMX GET) or as the dialog's content (HTMX POST).
    `als_dialog`: a whole dialog also to an HTMX POST that came from outside a dialog (appended to <body>)."""
    persoon_id = context["persoon_id"]
    ctx = {
        **context,
        "popup_template": template,
        "titel": titel,
        "actie_url": request.path,
        "terug_url": details_url(persoon_id),
        "in_dialog": bool(request.htmx),
    }
    if not request.htmx:
        return render(request, "gebruikers/mutaties/pagina.html", ctx, status=status)
    if request.method == "GET" and request.htmx.target != "bm-popup-inhoud":
        return render(request, "gebruikers/mutaties/dialog.html", ctx, status=status)
    if als_dialog:
        response = render(request, "gebruikers/mutaties/dialog.html", ctx, status=status)
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "beforeend"
        return response
    return render(request, template, ctx, status=status)


def gelukt(request, persoon_id: int, bericht: str, *, verdwenen: bool = False) -> HttpResponse:
    """Success: confirm (R74); without JavaScript redirect to the details, with HTMX close the dialog and reload
    the details region in place. A person who is no longer listed (opzeggen per direct) reloads the overview."""
    messages.success(request, bericht)
    if not request.htmx:
        return redirect(overzicht_url() if verdwenen else details_url(persoon_id))
    if verdwenen:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = overzicht_url()
        return response
    response = render(request, "gebruikers/mutaties/gelukt.html", {"persoon_id": persoon_id})
    response["HX-Reswap"] = "none"
    # Order matters: the details reload is announced before the dialog closes and removes itself.
    response["HX-Trigger"] = json.dumps({ververs_event(persoon_id): None, "bm-popup-sluiten": None})
    return response


def basis_context(request, details: GebruikerDetails, **extra) -> dict:
    return {
        "details": details,
        "persoon": details.persoon,
        "middel": details.middel,
        "persoon_id": details.persoon.pk,
        "organisatie": request.beheer.organisatie,
        "is_zelf": details.persoon.pk == request.user.pk,
        **extra,
    }


# --- Which actions apply (read by the partials through a template tag) --------------------------------------


@dataclass(frozen=True)
class Acties:
    persoon_id: int
    details_url: str
    ververs_event: str
    mutatie_in_behandeling: bool
    rol: bool
    type: bool
    telefoon: bool
    email: bool
    nieuwe_uitnodiging: bool
    koppelen: bool
    opzeggen: bool
    niveau: bool
    machtiging_toevoegen: bool

    @property
    def menu(self) -> bool:
        return self.koppelen or self.opzeggen or self.niveau


def andere_niveaus(middel: Middel, beheerder_niveau: int) -> list[Niveau]:
    """R11: the issued levels a middel can move to, up or down, up to the beheerder's own."""
    return [n for n in UITGIFTE_NIVEAUS if n != middel.niveau and n <= beheerder_niveau]


def acties_voor(*, actor, beheerder_middel: Middel | None, beheerde_organisaties, details, organisatie) -> Acties:
    """The actions the details screen offers for this person; the services refuse the rest anyway. No queries."""
    middel, koppeling = details.middel, details.koppeling
    zelf = details.persoon.pk == getattr(actor, "pk", None)
    open_mutatie = details.mutatie_in_behandeling  # R13: no new mutation while one is in behandeling
    status = middel.status
    beheerder_niveau = beheerder_middel.niveau if beheerder_middel else 0
    gekoppeld = {organisatie.pk, *(o.pk for o in details.andere_organisaties)}
    koppelbaar = any(o.pk not in gekoppeld for o in beheerde_organisaties)
    lopend = koppeling.status != Koppeling.Status.BEEINDIGD and status not in VERBORGEN_STATUSSEN
    return Acties(
        persoon_id=details.persoon.pk,
        details_url=details_url(details.persoon.pk),
        ververs_event=ververs_event(details.persoon.pk),
        mutatie_in_behandeling=open_mutatie,
        # R6 nobody changes the own role; R8 a Belastingdienst gebruiker has no other role to go to.
        rol=lopend and not zelf and not (middel.is_belastingdienst and not koppeling.is_beheerder),
        type=lopend
        and not open_mutatie
        and status == Middel.Status.ACTIEF
        and middel.niveau == Niveau.EH3
        and not (zelf and not middel.is_belastingdienst),
        telefoon=not zelf
        and status in (Middel.Status.WACHTEN_OP_ACTIVATIE, Middel.Status.ACTIEF)
        and middel.tweede_factor == Middel.TweedeFactor.SMS,
        email=not zelf and status in NIET_GEACTIVEERD,
        nieuwe_uitnodiging=status == Middel.Status.ACTIVATIE_VERLOPEN and not open_mutatie,
        koppelen=koppelbaar
        and not open_mutatie
        and status in (Middel.Status.ACTIEF, Middel.Status.WACHTEN_OP_ACTIVATIE)
        and middel.niveau <= beheerder_niveau,
        opzeggen=lopend,
        niveau=not zelf
        and not open_mutatie
        and status == Middel.Status.ACTIEF
        and not middel.is_belastingdienst
        and bool(andere_niveaus(middel, beheerder_niveau)),
        machtiging_toevoegen=status == Middel.Status.ACTIEF and koppeling.status == Koppeling.Status.ACTIEF,
    )


def _fout(form, error: DomainError) -> None:
    form.add_error(None, str(error))


def _jaren(form) -> int:
    return 3 if form.is_bound and form.is_valid() and form.cleaned_data.get("drie_jaar") else 1


def _deel(request) -> str:
    """`?deel=kosten`: the live cost block only (R17), re-rendered as the choices change."""
    return request.GET.get("deel", "")


# --- §3.1.1 Rol wijzigen (R5–R8) -----------------------------------------------------------------------------


@GET_POST
@beheerder_required
def rol_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    form = forms.RolForm(request.POST if request.method == "POST" else None, initial={"rol": details.koppeling.rol})
    if request.method == "POST" and form.is_valid():
        try:
            koppeling = services.koppeling_wijzig_rol(
                actor=request.user, koppeling=details.koppeling, rol=form.cleaned_data["rol"]
            )
        except DomainError as error:
            _fout(form, error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("De rol van %(naam)s is gewijzigd in %(rol)s.")
                % {"naam": details.persoon.naam, "rol": koppeling.get_rol_display()},
            )
    return popup(
        request, "gebruikers/mutaties/rol.html", basis_context(request, details, form=form), titel=_("Rol wijzigen")
    )


# --- §3.2.2 Koppel aan een andere organisatie (R12, R13) -------------------------------------------------------


@GET_POST
@beheerder_required
def koppelen(request, persoon_id: int):
    from gebruikers.selectors import koppelbare_organisaties

    details = haal_details(request, persoon_id)
    organisaties = koppelbare_organisaties(actor=request.user, middel=details.middel)
    data = request.POST if request.method == "POST" else (request.GET if _deel(request) else None)
    form = forms.KoppelenForm(data, organisaties=organisaties, initial={"rol": details.koppeling.rol})
    if request.method == "POST" and form.is_valid():
        try:
            services.middel_koppelen(
                actor=request.user,
                organisatie=request.beheer.organisatie,
                middel=details.middel,
                organisaties=form.gekozen_organisaties(),
                rol=form.cleaned_data["rol"],
                abonnement_jaren=_jaren(form),
                kosten_geaccepteerd=form.cleaned_data["akkoord"],
            )
        except DomainError as error:
            _fout(form, error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("De aanvraag is ontvangen. De mutatie voor %(naam)s is bij ons in behandeling.")
                % {"naam": details.persoon.naam},
            )
    aantal = len(form.gekozen_organisaties()) if form.is_bound and form.is_valid() else 0
    try:
        kosten = facturatie.bereken_kosten(
            abonnement_jaren=_jaren(form),
            extra_organisaties=max(aantal, 1),
            koppeling_niveau=details.middel.niveau,
        )
    except DomainError as error:
        kosten, form_fout = None, str(error)
    else:
        form_fout = ""
    ctx = basis_context(
        request,
        details,
        form=form,
        kosten=kosten,
        kosten_fout=form_fout,
        niveau_badge=Niveau(details.middel.niveau).badge,
    )
    if _deel(request) == "kosten":
        return render(request, "gebruikers/mutaties/koppelen.html#kosten", ctx)
    return popup(request, "gebruikers/mutaties/koppelen.html", ctx, titel=_("Koppel aan een andere organisatie"))


# --- §3.4, §3.4.1 eHerkenning voor deze gebruiker opzeggen (R5, R19, R20) ------------------------------------


def _opzeggen_vooraf(details: GebruikerDetails, organisatie) -> str:
    """For the own middel, which pop-up comes first (R20): 'weigering' while other users remain and nobody else
    is beheerder, 'hele_organisatie' when nobody else remains; '' otherwise. The service checks again."""
    k = details.koppeling
    if not (k.is_beheerder and k.status == Koppeling.Status.ACTIEF and details.middel.is_actief):
        return ""
    anderen = (
        Koppeling.objects.filter(organisatie=organisatie)
        .exclude(pk=k.pk)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
    )
    if anderen.filter(
        rol=Koppeling.Rol.BEHEERDER, status=Koppeling.Status.ACTIEF, middel__status=Middel.Status.ACTIEF
    ).exists():
        return ""
    return "weigering" if anderen.exists() else "hele_organisatie"


@GET_POST
@beheerder_required
def opzeggen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    organisatie = request.beheer.organisatie
    beheerd = {o.pk for o in request.beheer.organisaties}
    andere = [o for o in details.andere_organisaties if o.pk in beheerd]
    is_zelf = details.persoon.pk == request.user.pk
    vooraf = _opzeggen_vooraf(details, organisatie) if is_zelf and request.method == "GET" else ""
    doorgaan = request.GET.get("doorgaan") == "1"
    form = forms.OpzeggenForm(
        request.POST if request.method == "POST" else None,
        andere_organisaties=andere,
        initial={"bevestig_opzeggen_organisatie": vooraf == "hele_organisatie" and doorgaan},
    )
    if request.method == "POST" and form.is_valid():
        try:
            resultaat = services.middel_opzeggen(
                actor=request.user,
                koppeling=details.koppeling,
                moment=form.cleaned_data["moment"],
                datum=form.cleaned_data["datum"],
                ook_organisaties=form.gekozen_organisaties(),
                bevestig_opzeggen_organisatie=form.cleaned_data["bevestig_opzeggen_organisatie"],
            )
        except DomainError as error:
            if error.code == "eigen_middel_laatste_beheerder":
                vooraf = "weigering"
            elif error.code == "bevestig_opzeggen_organisatie":
                vooraf, doorgaan = "hele_organisatie", False
            else:
                _fout(form, error)
        else:
            per_direct = form.cleaned_data["moment"] == Koppeling.Opzegmoment.PER_DIRECT
            if per_direct:
                bericht = _("eHerkenning voor %(naam)s is per direct opgezegd.") % {"naam": details.persoon.naam}
            else:
                bericht = _("eHerkenning voor %(naam)s wordt opgezegd per %(datum)s.") % {
                    "naam": details.persoon.naam,
                    "datum": f"{resultaat[0].opzeggen_per:%d-%m-%Y}",
                }
            return gelukt(request, persoon_id, bericht, verdwenen=per_direct)
    ctx = basis_context(
        request, details, form=form, vooraf=vooraf, doorgaan=doorgaan, doorgaan_post=request.method == "POST"
    )
    if vooraf == "weigering":
        return popup(request, "gebruikers/mutaties/opzeggen_weigering.html", ctx, titel=_("eHerkenning opzeggen"))
    if vooraf == "hele_organisatie" and not doorgaan:
        return popup(request, "gebruikers/mutaties/opzeggen_organisatie.html", ctx, titel=_("eHerkenning opzeggen"))
    return popup(request, "gebruikers/mutaties/opzeggen.html", ctx, titel=_("eHerkenning opzeggen"))


# --- §3.5.3 Verstuur nieuwe uitnodiging (R18) -----------------------------------------------------------------


@GET_POST
@beheerder_required
def nieuwe_uitnodiging(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    form = forms.UitnodigingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nieuwe_uitnodiging_versturen(
                actor=request.user,
                middel=details.middel,
                kosten_geaccepteerd=form.cleaned_data["akkoord"],
                organisatie=request.beheer.organisatie,
            )
        except DomainError as error:
            _fout(form, error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("De aanvraag voor een nieuwe uitnodiging voor %(naam)s is ontvangen.")
                % {"naam": details.persoon.naam},
            )
    try:
        kosten, kosten_fout = facturatie.bereken_kosten(nieuwe_activatie=True), ""
    except DomainError as error:
        kosten, kosten_fout = None, str(error)
    ctx = basis_context(request, details, form=form, kosten=kosten, kosten_fout=kosten_fout)
    return popup(request, "gebruikers/mutaties/nieuwe_uitnodiging.html", ctx, titel=_("Verstuur nieuwe uitnodiging"))


# --- §3.7.1, §3.7.2 Telefoonnummer en e-mailadres (R21, R22) --------------------------------------------------


@GET_POST
@beheerder_required
def telefoon_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    # The land is chosen apart (Nederland), so the number is shown as the details show it: '0612345678'.
    form = forms.TelefoonForm(
        request.POST if request.method == "POST" else None,
        initial={"mobiel": mobiel_nationaal(details.persoon.mobiel)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.persoon_wijzig_mobiel(
                actor=request.user,
                persoon=details.persoon,
                mobiel=form.cleaned_data["mobiel"],
                organisatie=request.beheer.organisatie,
            )
        except DomainError as error:
            _fout(form, error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("Het telefoonnummer van %(naam)s is gewijzigd.") % {"naam": details.persoon.naam},
            )
    return popup(
        request,
        "gebruikers/mutaties/telefoon.html",
        basis_context(request, details, form=form),
        titel=_("Wijzig het telefoonnummer"),
    )


@GET_POST
@beheerder_required
def email_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    form = forms.EmailForm(request.POST if request.method == "POST" else None, initial={"email": details.persoon.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.persoon_wijzig_email(
                actor=request.user,
                persoon=details.persoon,
                email=form.cleaned_data["email"],
                organisatie=request.beheer.organisatie,
            )
        except DomainError as error:
            _fout(form, error)
        else:
            return gelukt(
                request, persoon_id, _("Het e-mailadres van %(naam)s is gewijzigd.") % {"naam": details.persoon.naam}
            )
    return popup(
        request,
        "gebruikers/mutaties/email.html",
        basis_context(request, details, form=form),
        titel=_("Wijzig het e-mailadres"),
    )


# --- §3.8.1 Wijzig het niveau (R11) ---------------------------------------------------------------------------


@GET_POST
@beheerder_required
def niveau_wijzigen(request, persoon_id: int):
    from gebruikers.selectors import koppelbare_organisaties

    details = haal_details(request, persoon_id)
    middel = details.middel
    beheerder_niveau = request.beheer.middel.niveau
    niveaus = andere_niveaus(middel, beheerder_niveau)
    organisaties = koppelbare_organisaties(actor=request.user, middel=middel)
    data = request.POST if request.method == "POST" else (request.GET if _deel(request) else None)
    initial = {"rol": details.koppeling.rol, "niveau": int(niveaus[0]) if niveaus else None}
    form = forms.NiveauForm(data, niveaus=niveaus, organisaties=organisaties, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        adres = None
        if any(c[v] for v in ("postcode", "huisnummer", "straat", "plaats")):
            adres = services.Identificatieadres(
                postcode=c["postcode"],
                huisnummer=c["huisnummer"],
                toevoeging=c["toevoeging"],
                straat=c["straat"],
                plaats=c["plaats"],
            )
        try:
            services.middel_upgraden(
                actor=request.user,
                organisatie=request.beheer.organisatie,
                middel=middel,
                niveau=c["niveau"],
                abonnement_jaren=_jaren(form),
                kosten_geaccepteerd=c["akkoord"],
                rol=c["rol"],
                tweede_factor=c["tweede_factor"] or None,
                mobiel=c["mobiel"],
                identificatieadres=adres,
                extra_organisaties=form.gekozen_organisaties(),
            )
        except DomainError as error:
            _fout(form, error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("De aanvraag voor het wijzigen van het niveau van %(naam)s is ontvangen en bij ons in behandeling.")
                % {"naam": details.persoon.naam},
            )
    gekozen = form.cleaned_data.get("niveau") if form.is_bound and form.is_valid() else initial["niveau"]
    prijzen, kosten, kosten_fout = [], None, ""
    try:
        prijzen = [
            (int(n), Niveau(n).badge, facturatie.tarief(code=facturatie.middel_tariefcode(niveau=n))) for n in niveaus
        ]
        if gekozen:
            extra = len(form.gekozen_organisaties()) if form.is_bound and form.is_valid() else 0
            kosten = facturatie.bereken_kosten(niveau=gekozen, abonnement_jaren=_jaren(form), extra_organisaties=extra)
    except DomainError as error:
        kosten_fout = str(error)
    ctx = basis_context(
        request,
        details,
        form=form,
        prijzen=prijzen,
        kosten=kosten,
        kosten_fout=kosten_fout,
        # R11: from EH2+ the second factor stays; from below it one is chosen.
        kies_tweede_factor=middel.niveau < Niveau.EH2_PLUS,
        # R15: EH3 and higher need an identificatieadres; asked only when the middel has none yet.
        vraag_adres=not middel.id_postcode and any(n >= Niveau.EH3 for n in niveaus),
        # A downgrade ends the machtigingen above the new niveau once it is processed.
        lager_mogelijk=any(n < middel.niveau for n in niveaus),
        organisatie_ids=[str(o.pk) for o in organisaties],
    )
    if _deel(request) == "kosten":
        return render(request, "gebruikers/mutaties/niveau.html#kosten", ctx)
    return popup(
        request, "gebruikers/mutaties/niveau.html", ctx, titel=_("Wijzig het niveau van een bestaande gebruiker")
    )


# --- §3.8.2 Type eHerkenningmiddel wijzigen (R8, R23) ---------------------------------------------------------


@GET_POST
@beheerder_required
def type_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    middel = details.middel
    ander_type = Middel.Type.REGULIER if middel.is_belastingdienst else Middel.Type.BELASTINGDIENST
    data = request.POST if request.method == "POST" else (request.GET if _deel(request) else None)
    form = forms.TypeForm(data, initial={"type": ander_type, "abonnement_jaren": "1"})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.middel_wijzig_type(
                actor=request.user,
                organisatie=request.beheer.organisatie,
                middel=middel,
                type=c["type"],
                abonnement_jaren=c["abonnement_jaren"],
                bevestigd=c["bevestigd"],
            )
        except DomainError as error:
            _fout(form, error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("Het type eHerkenningmiddel van %(naam)s is gewijzigd.") % {"naam": details.persoon.naam},
            )
    valide = form.is_bound and form.is_valid()
    nieuw_type = form.cleaned_data["type"] if valide else ander_type
    jaren = form.cleaned_data["abonnement_jaren"] if valide else 1
    berekening, kosten_fout = None, ""
    if nieuw_type != middel.type:
        try:
            berekening = services.bereken_type_wijziging(
                koppeling=details.koppeling, nieuw_type=nieuw_type, abonnement_jaren=jaren
            )
        except DomainError as error:
            kosten_fout = str(error)
    ctx = basis_context(
        request,
        details,
        form=form,
        berekening=berekening,
        kosten_fout=kosten_fout,
        van_belastingdienst=middel.is_belastingdienst,
    )
    if _deel(request) == "kosten":
        return render(request, "gebruikers/mutaties/type.html#kosten", ctx)
    return popup(request, "gebruikers/mutaties/type.html", ctx, titel=_("Type eHerkenningmiddel wijzigen"))


urlpatterns = [
    path("<int:persoon_id>/rol/", rol_wijzigen, name="rol_wijzigen"),
    path("<int:persoon_id>/koppelen/", koppelen, name="koppelen"),
    path("<int:persoon_id>/opzeggen/", opzeggen, name="opzeggen"),
    path("<int:persoon_id>/nieuwe-uitnodiging/", nieuwe_uitnodiging, name="nieuwe_uitnodiging"),
    path("<int:persoon_id>/telefoon/", telefoon_wijzigen, name="telefoon_wijzigen"),
    path("<int:persoon_id>/email/", email_wijzigen, name="email_wijzigen"),
    path("<int:persoon_id>/niveau/", niveau_wijzigen, name="niveau_wijzigen"),
    path("<int:persoon_id>/type/", type_wijzigen, name="type_wijzigen"),
]

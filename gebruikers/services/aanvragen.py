"""R10, R12, R14–R18: requesting a new middel, linking an existing user, and a new activation letter."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log, audit_per_organisatie
from beheer.selectors import beheerbare_organisaties
from berichten.meldingen import meld_aanvraag_ontvangen
from common.errors import DomainError
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from facturatie import services as facturatie
from gebruikers import rules
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.services._common import (
    _GEEN_BELASTINGDIENST_BEHEERDER,
    BEHEERDER,
    _koppeling_bij,
    _maak_aanvraag,
    _vereis_abonnement,
    _vereis_akkoord_kosten,
    _vereis_beheerder,
    _vereis_geen_belastingdienstmiddel,
    _vereis_geen_open_aanvraag,
    _vereis_wettelijk_vertegenwoordiger,
)
from gebruikers.services.validatie import (
    IdDocument,
    Identificatieadres,
    PersoonGegevens,
    _adres_velden,
    valideer_nieuwe_gebruiker,
)
from gebruikers.standen import als_json, koppeling_stand, middel_stand
from organisaties.models import Organisatie


@transaction.atomic
def middel_aanvragen(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    niveau: int,
    rol: str,
    persoon_gegevens: PersoonGegevens,
    id_document: IdDocument,
    tweede_factor: str,
    mobiel: str = "",
    identificatieadres: Identificatieadres | None = None,
    extra_organisaties=(),
    abonnement_jaren: int = 1,
    kosten_geaccepteerd: bool = False,
    type: str = Middel.Type.REGULIER,
) -> Aanvraag:
    """Request a new middel for a new user (§3.2): Persoon, Middel (Wachten op goedkeuring), Koppelingen
    (aangevraagd) and an Aanvraag for support, all or nothing."""
    extra = [o for o in extra_organisaties if o.pk != organisatie.pk]
    actor_middel = _vereis_beheerder(actor, [organisatie, *extra])
    if niveau not in UITGIFTE_NIVEAUS:
        raise DomainError(_("Kies een niveau: EH2+, EH3 of EH4."), rule="R10", code="niveau")
    if niveau > actor_middel.niveau:
        raise DomainError(
            _(
                "Nieuwe middelen kunnen alleen aangevraagd worden op hetzelfde niveau of lager als het niveau "
                "van de beheerder."
            ),
            rule="R10",
            code="niveau_te_hoog",
        )
    if rol not in Koppeling.Rol.values:
        raise DomainError(_("Kies de rol gebruiker of beheerder."), rule="R6", code="rol")
    if type not in Middel.Type.values:
        raise DomainError(_("Kies het type eHerkenningsmiddel."), rule="R23", code="type")
    if type == Middel.Type.BELASTINGDIENST:
        if rol == BEHEERDER:
            raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
        if niveau != Niveau.EH3:
            raise DomainError(_("Een Belastingdienstmiddel bestaat alleen op niveau EH3."), rule="R23")
        _vereis_geen_belastingdienstmiddel([organisatie.pk, *(o.pk for o in extra)])
        _vereis_wettelijk_vertegenwoordiger([organisatie, *extra], persoon_gegevens)
    factor, nummer, adres = valideer_nieuwe_gebruiker(
        niveau=niveau,
        persoon_gegevens=persoon_gegevens,
        id_document=id_document,
        tweede_factor=tweede_factor,
        mobiel=mobiel,
        identificatieadres=identificatieadres,
    )
    _vereis_abonnement(abonnement_jaren)
    kosten = facturatie.bereken_kosten(
        niveau=niveau,
        type=type,
        abonnement_jaren=abonnement_jaren,
        extra_organisaties=len(extra),
        otp_device=factor == Middel.TweedeFactor.OTP,
    )
    _vereis_akkoord_kosten(kosten_geaccepteerd)

    persoon = Persoon(
        username=None,
        voornamen=persoon_gegevens.voornamen.strip(),
        tussenvoegsel=(persoon_gegevens.tussenvoegsel or "").strip(),
        achternaam=persoon_gegevens.achternaam.strip(),
        geboortedatum=persoon_gegevens.geboortedatum,
        geslacht=id_document.geslacht,
        email=persoon_gegevens.email.strip(),
        mobiel=nummer,
    )
    persoon.set_unusable_password()  # a username and password are chosen at activation (R18)
    persoon.save()
    middel = Middel.objects.create(
        persoon=persoon,
        niveau=niveau,
        type=type,
        status=Middel.Status.WACHTEN_OP_GOEDKEURING,
        tweede_factor=factor,
        **_adres_velden(adres),
    )
    koppelingen = [
        Koppeling.objects.create(
            middel=middel,
            organisatie=org,
            rol=rol,
            status=Koppeling.Status.AANGEVRAAGD,
            abonnement_jaren=abonnement_jaren,
        )
        for org in [organisatie, *extra]
    ]
    gegevens = als_json(
        {
            "niveau": int(niveau),
            "type": type,
            "rol": rol,
            "persoon": {
                "voornamen": persoon.voornamen,
                "tussenvoegsel": persoon.tussenvoegsel,
                "achternaam": persoon.achternaam,
                "geboortedatum": persoon.geboortedatum,
                "email": persoon.email,
            },
            "id_document": {
                "type": id_document.type,
                "documentnummer": id_document.documentnummer.replace(" ", "").upper(),
                "geslacht": id_document.geslacht,
                "geldigheidsdatum": id_document.geldigheidsdatum,
                "voor_en_achter_in_een_bestand": id_document.voor_en_achter_in_een_bestand,
            },
            "tweede_factor": factor,
            "mobiel": nummer,
            "identificatieadres": _adres_velden(adres),
            "organisaties": [k.organisatie_id for k in koppelingen],
            "koppelingen": [k.pk for k in koppelingen],
            "abonnement_jaren": abonnement_jaren,
            "kosten": kosten.as_json(),
            "kosten_geaccepteerd": True,
            "is_wettelijk_vertegenwoordiger": type == Middel.Type.BELASTINGDIENST,
        }
    )
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.NIEUW_MIDDEL,
        organisatie=organisatie,
        middel=middel,
        koppeling=koppelingen[0],
        aangevraagd_door=actor,
        gegevens=gegevens,
        id_document_voorzijde=id_document.voorzijde,
        id_document_achterzijde=id_document.achterzijde or "",
    )
    audit_per_organisatie(
        actor=actor,
        organisaties=[k.organisatie_id for k in koppelingen],
        actie=Actie.MIDDEL_AANGEVRAAGD,
        omschrijving=_("Nieuw eHerkenningsmiddel %(niveau)s aangevraagd voor %(naam)s")
        % {"niveau": Niveau(niveau).label, "naam": persoon.naam},
        object=middel,
        voor=None,
        na={**middel_stand(middel), "rol": rol, "kosten": gegevens["kosten"]},
    )
    meld_aanvraag_ontvangen(aanvraag=aanvraag)
    return aanvraag


@transaction.atomic
def middel_koppelen(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    middel: Middel,
    organisaties,
    rol: str,
    abonnement_jaren: int = 1,
    kosten_geaccepteerd: bool = False,
) -> Aanvraag:
    """Link an existing user (of `organisatie`) to other organisations where the actor is beheerder (§3.2.2).

    The niveau is the middel's own, the role is chosen, the e-mail address is taken over. Creates Koppelingen
    (aangevraagd) and one Aanvraag of soort koppeling.
    """
    doelen = [o for o in organisaties if o.pk != organisatie.pk]
    if not doelen:
        raise DomainError(_("Kies de organisaties waaraan u de gebruiker wilt koppelen."), rule="R12")
    ids = {o.pk for o in doelen}
    if not ids <= {o.pk for o in beheerbare_organisaties(actor)}:
        raise DomainError(
            _("U kunt gebruikers alleen koppelen aan organisaties waar u zelf beheerder bent."),
            rule="R12",
            code="geen_beheerder_doel",
        )
    actor_middel = _vereis_beheerder(actor, [organisatie])
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    _koppeling_bij(middel, organisatie)
    if not rules.is_goedgekeurd(middel):
        raise DomainError(_("Alleen een goedgekeurd eHerkenningsmiddel kan worden gekoppeld."), rule="R12")
    if not rules.is_koppelbaar(middel, beheerder_niveau=actor_middel.niveau):
        raise DomainError(
            _("U kunt gebruikers koppelen tot en met maximaal uw eigen niveau."), rule="R12", code="niveau_te_hoog"
        )
    if rol not in Koppeling.Rol.values:
        raise DomainError(_("Kies de rol gebruiker of beheerder."), rule="R12", code="rol")
    if rol == BEHEERDER and not rules.mag_beheerder_zijn(middel):
        raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
    if Koppeling.objects.lopend().filter(middel=middel, organisatie_id__in=ids).exists():
        raise DomainError(_("Deze gebruiker is al gekoppeld aan deze organisatie."), rule="R12", code="al_gekoppeld")
    _vereis_geen_open_aanvraag(middel)
    if middel.is_belastingdienst:
        _vereis_geen_belastingdienstmiddel(ids, behalve_middel_id=middel.pk)
    _vereis_abonnement(abonnement_jaren)
    kosten = facturatie.bereken_kosten(
        abonnement_jaren=abonnement_jaren, extra_organisaties=len(doelen), koppeling_niveau=middel.niveau
    )
    _vereis_akkoord_kosten(kosten_geaccepteerd)

    nieuwe = [
        Koppeling.objects.create(
            middel=middel,
            organisatie=org,
            rol=rol,
            status=Koppeling.Status.AANGEVRAAGD,
            abonnement_jaren=abonnement_jaren,
        )
        for org in doelen
    ]
    gegevens = als_json(
        {
            "niveau": int(middel.niveau),
            "rol": rol,
            "email": middel.persoon.email,
            "organisaties": [o.pk for o in doelen],
            "koppelingen": [k.pk for k in nieuwe],
            "abonnement_jaren": abonnement_jaren,
            "kosten": kosten.as_json(),
            "kosten_geaccepteerd": True,
        }
    )
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.KOPPELING,
        organisatie=organisatie,
        middel=middel,
        koppeling=nieuwe[0],
        aangevraagd_door=actor,
        gegevens=gegevens,
    )
    for k in nieuwe:
        audit_log(
            actor=actor,
            organisatie=k.organisatie,
            actie=Actie.KOPPELING_AANGEVRAAGD,
            omschrijving=_("Koppeling van %(naam)s aan %(organisatie)s aangevraagd")
            % {"naam": middel.persoon.naam, "organisatie": k.organisatie.naam},
            object=k,
            voor=None,
            na=koppeling_stand(k),
        )
    meld_aanvraag_ontvangen(aanvraag=aanvraag)
    return aanvraag


@transaction.atomic
def nieuwe_uitnodiging_versturen(
    *, actor: Persoon, middel: Middel, kosten_geaccepteerd: bool, organisatie: Organisatie
) -> Aanvraag:
    """Activatie verlopen → ask for a new activation letter (costs, §3.5.3); on approval a new 30 days."""
    _vereis_beheerder(actor, [organisatie])
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    _koppeling_bij(middel, organisatie)
    if not rules.is_activatie_verlopen(middel):
        raise DomainError(
            _("Een nieuwe uitnodiging kan alleen worden verstuurd als de activatie is verlopen."), rule="R18"
        )
    _vereis_geen_open_aanvraag(middel)
    kosten = facturatie.bereken_kosten(nieuwe_activatie=True)
    _vereis_akkoord_kosten(kosten_geaccepteerd)
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.NIEUWE_ACTIVATIE,
        organisatie=organisatie,
        middel=middel,
        aangevraagd_door=actor,
        gegevens={"kosten": kosten.as_json(), "kosten_geaccepteerd": True},
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie=Actie.MIDDEL_NIEUWE_UITNODIGING_AANGEVRAAGD,
        omschrijving=_("Nieuwe uitnodiging tot activatie aangevraagd voor %(naam)s") % {"naam": middel.persoon.naam},
        object=middel,
        voor=middel_stand(middel),
        na={**middel_stand(middel), "kosten": kosten.as_json()},
    )
    meld_aanvraag_ontvangen(aanvraag=aanvraag)
    return aanvraag

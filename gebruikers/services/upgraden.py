"""R11: up- and downgrading the niveau of someone else's middel (§3.8.1)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from berichten.meldingen import meld_aanvraag_ontvangen
from common.errors import DomainError
from common.locks import vergrendel
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from facturatie import services as facturatie
from gebruikers import rules
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.services._common import (
    _koppeling_bij,
    _maak_aanvraag,
    _vereis_abonnement,
    _vereis_akkoord_kosten,
    _vereis_beheerder,
    _vereis_geen_open_aanvraag,
)
from gebruikers.services.rollen import _wijzig_rol
from gebruikers.services.validatie import (
    Identificatieadres,
    PersoonGegevens,
    _adres_velden,
    valideer_identificatieadres,
    valideer_tweede_factor,
)
from gebruikers.standen import als_json, middel_stand
from organisaties.models import Organisatie


@transaction.atomic
def middel_upgraden(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    middel: Middel,
    niveau: int,
    abonnement_jaren: int = 1,
    kosten_geaccepteerd: bool = False,
    rol: str | None = None,
    tweede_factor: str | None = None,
    mobiel: str = "",
    identificatieadres: Identificatieadres | None = None,
    persoon_gegevens: PersoonGegevens | None = None,
    extra_organisaties=(),
) -> Aanvraag:
    """Change the niveau of someone else's middel (§3.8 "Up- en downgraden"): an Aanvraag of soort upgrade.

    Up to the own niveau at most (R11); a lower issued niveau is a downgrade, which keeps the second factor and,
    once approved, ends the machtigingen the lower niveau no longer allows. A role change chosen in the same
    step applies at once, with every role rule (R5–R8).
    """
    extra = [o for o in extra_organisaties if o.pk != organisatie.pk]
    vergrendel(organisaties=[organisatie, *extra], middelen=[middel])
    actor_middel = _vereis_beheerder(actor, [organisatie, *extra])
    middel = Middel.objects.select_related("persoon").get(pk=middel.pk)
    koppeling = _koppeling_bij(middel, organisatie)
    koppeling.middel = middel
    if rules.is_eigen(actor, middel):
        raise DomainError(
            _("U kunt alleen het eHerkenningmiddel van iemand anders upgraden."), rule="R11", code="eigen_middel"
        )
    if middel.status != Middel.Status.ACTIEF:
        raise DomainError(_("Alleen een actief eHerkenningsmiddel kan worden geüpgraded."), rule="R11")
    if not rules.is_upgradebaar(middel):
        raise DomainError(
            _("Een Belastingdienstmiddel kan niet worden geüpgraded; wijzig eerst het type in regulier."), rule="R23"
        )
    if niveau not in UITGIFTE_NIVEAUS or niveau == middel.niveau:
        raise DomainError(_("Kies een ander niveau dan het huidige niveau."), rule="R11", code="niveau")
    if niveau not in rules.andere_niveaus(middel, actor_middel.niveau):
        raise DomainError(
            _("U kunt het middel van iemand anders upgraden tot maximaal uw eigen niveau."),
            rule="R11",
            code="niveau_te_hoog",
        )
    _vereis_geen_open_aanvraag(middel)
    persoon = middel.persoon
    if persoon_gegevens is not None and (
        persoon_gegevens.voornamen.strip() != persoon.voornamen
        or (persoon_gegevens.tussenvoegsel or "").strip() != persoon.tussenvoegsel
        or persoon_gegevens.achternaam.strip() != persoon.achternaam
        or persoon_gegevens.geboortedatum != persoon.geboortedatum
    ):
        raise DomainError(
            _("Gegevens die de persoon identificeren kunnen bij een upgrade niet gewijzigd worden."),
            rule="R11",
            code="identificerende_gegevens",
        )
    if middel.niveau >= Niveau.EH2_PLUS:
        if tweede_factor not in (None, "", middel.tweede_factor):
            raise DomainError(
                _("Bij een upgrade vanaf niveau 2+ blijft de tweede factor ongewijzigd."),
                rule="R11",
                code="tweede_factor",
            )
        factor, nummer = middel.tweede_factor, ""
    else:
        factor, nummer = valideer_tweede_factor(niveau=niveau, tweede_factor=tweede_factor or "", mobiel=mobiel)
    adres = None
    if niveau >= Niveau.EH3 and not middel.id_postcode:
        adres = valideer_identificatieadres(identificatieadres, niveau=niveau)
    gekoppeld = set(Koppeling.objects.lopend().filter(middel=middel).values_list("organisatie_id", flat=True))
    if any(o.pk in gekoppeld for o in extra):
        raise DomainError(_("Deze gebruiker is al gekoppeld aan deze organisatie."), rule="R12")
    _vereis_abonnement(abonnement_jaren)
    kosten = facturatie.bereken_kosten(
        niveau=niveau,
        abonnement_jaren=abonnement_jaren,
        extra_organisaties=len(extra),
        otp_device=factor == Middel.TweedeFactor.OTP and middel.tweede_factor != Middel.TweedeFactor.OTP,
    )
    _vereis_akkoord_kosten(kosten_geaccepteerd)

    if rol is not None and rol != koppeling.rol:
        _wijzig_rol(actor=actor, koppeling=koppeling, rol=rol)
    nieuwe = [
        Koppeling.objects.create(
            middel=middel,
            organisatie=org,
            rol=koppeling.rol,
            status=Koppeling.Status.AANGEVRAAGD,
            abonnement_jaren=abonnement_jaren,
        )
        for org in extra
    ]
    gegevens = als_json(
        {
            "van_niveau": int(middel.niveau),
            "niveau": int(niveau),
            "tweede_factor": factor,
            "mobiel": nummer,
            "identificatieadres": _adres_velden(adres),
            "koppeling": koppeling.pk,
            "koppelingen": [k.pk for k in nieuwe],
            "abonnement_jaren": abonnement_jaren,
            "kosten": kosten.as_json(),
            "kosten_geaccepteerd": True,
        }
    )
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.UPGRADE,
        organisatie=organisatie,
        middel=middel,
        koppeling=koppeling,
        aangevraagd_door=actor,
        gegevens=gegevens,
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie=Actie.MIDDEL_UPGRADE_AANGEVRAAGD,
        omschrijving=_("Upgrade naar %(niveau)s aangevraagd voor %(naam)s")
        % {"niveau": Niveau(niveau).label, "naam": persoon.naam},
        object=middel,
        voor=middel_stand(middel),
        na={**middel_stand(middel), "aangevraagd_niveau": Niveau(niveau).label, "kosten": gegevens["kosten"]},
    )
    meld_aanvraag_ontvangen(aanvraag=aanvraag)
    return aanvraag

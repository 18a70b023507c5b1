"""R21, R22: changing a person's mobile number and e-mail address."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_per_organisatie
from berichten.meldingen import meld_activatie, meld_email_gewijzigd, meld_telefoonnummer_gewijzigd
from common.errors import DomainError
from gebruikers import rules
from gebruikers.models import Koppeling, Middel, Persoon
from gebruikers.services._common import _koppeling_bij, _vereis_beheerder
from gebruikers.services.validatie import _valideer_email, normaliseer_mobiel
from inloggen.activatie import activatie_url
from organisaties.models import Organisatie


def _vereis_beheerder_van_persoon(actor, persoon: Persoon, organisatie: Organisatie) -> Middel:
    """R1, R4: the actor is beheerder of `organisatie` and the person is linked to it; returns the locked middel."""
    middel = Middel.objects.select_for_update().select_related("persoon").get(persoon=persoon)
    _vereis_beheerder(actor, [organisatie])
    _koppeling_bij(middel, organisatie)
    return middel


def _audit_persoon(actor, middel: Middel, *, actie: Actie, omschrijving, voor: dict, na: dict) -> None:
    audit_per_organisatie(
        actor=actor,
        organisaties=Koppeling.objects.lopend().filter(middel=middel).values_list("organisatie_id", flat=True),
        actie=actie,
        omschrijving=omschrijving,
        object=middel.persoon,
        voor=voor,
        na=na,
    )


def _email_zetten(actor, middel: Middel, email: str) -> str:
    """Store the new address and audit it per organisation; returns the old address."""
    persoon = middel.persoon
    oud = persoon.email
    persoon.email = email
    persoon.save(update_fields=["email"])
    _audit_persoon(
        actor,
        middel,
        actie=Actie.PERSOON_EMAIL_GEWIJZIGD,
        omschrijving=_("E-mailadres van %(naam)s gewijzigd") % {"naam": persoon.naam},
        voor={"email": oud},
        na={"email": email},
    )
    return oud


@transaction.atomic
def persoon_wijzig_mobiel(*, actor: Persoon, persoon: Persoon, mobiel: str, organisatie: Organisatie) -> Persoon:
    """R21: a beheerder changes someone else's SMS number when their middel is Wachten op activatie or Actief;
    the own number goes by wijzigingsformulier. The person is told."""
    if persoon.pk == actor.pk:
        raise DomainError(
            _(
                "Het wijzigen van het eigen mobiele nummer kan niet via de beheermodule. "
                "Gebruik hiervoor het wijzigingsformulier."
            ),
            rule="R21",
            code="eigen_nummer",
        )
    middel = _vereis_beheerder_van_persoon(actor, persoon, organisatie)
    if middel.status not in (Middel.Status.WACHTEN_OP_ACTIVATIE, Middel.Status.ACTIEF):
        raise DomainError(
            _(
                "Het mobiele nummer kan alleen worden gewijzigd bij de status 'Wachten op activatie' "
                "en bij geactiveerde eHerkenningsmiddelen."
            ),
            rule="R21",
            code="status",
        )
    if not rules.is_mobiel_wijzigbaar(middel):
        raise DomainError(_("Deze gebruiker gebruikt geen SMS als tweede factor."), rule="R21", code="geen_sms")
    nummer = normaliseer_mobiel(mobiel)
    persoon = middel.persoon
    voor = {"mobiel": persoon.mobiel}
    persoon.mobiel = nummer
    persoon.save(update_fields=["mobiel"])
    _audit_persoon(
        actor,
        middel,
        actie=Actie.PERSOON_MOBIEL_GEWIJZIGD,
        omschrijving=_("Mobiel nummer van %(naam)s gewijzigd") % {"naam": persoon.naam},
        voor=voor,
        na={"mobiel": nummer},
    )
    meld_telefoonnummer_gewijzigd(persoon=persoon, nieuw_nummer=nummer, organisatie=organisatie)
    return persoon


@transaction.atomic
def persoon_wijzig_email(*, actor: Persoon, persoon: Persoon, email: str, organisatie: Organisatie) -> Persoon:
    """R22: a beheerder changes someone's e-mail address, only before activation (afterwards only the person
    themself, on the own profile page: `persoon_wijzig_eigen_email`).

    The address is where the activation e-mail goes, so while the middel waits for activation the person gets the
    invitation again, with a new link, at the new address. (The links sent before stay valid until the term ends:
    one of them is in the EH2+ letter to the company address, and a link does not record where it was sent.)
    """
    email = _valideer_email(email)
    middel = _vereis_beheerder_van_persoon(actor, persoon, organisatie)
    if not rules.is_email_wijzigbaar_door_beheerder(middel):
        raise DomainError(
            _(
                "Zodra het account door een gebruiker is geactiveerd, kan alleen de gebruiker zelf het "
                "e-mailadres aanpassen op de profielpagina."
            ),
            rule="R22",
            code="na_activatie",
        )
    _email_zetten(actor, middel, email)
    if middel.status == Middel.Status.WACHTEN_OP_ACTIVATIE:
        meld_activatie(
            persoon=middel.persoon,
            activeren_tot=middel.activeren_tot,
            link=activatie_url(middel=middel),
            organisatie=organisatie,
        )
    return middel.persoon


@transaction.atomic
def persoon_wijzig_eigen_email(*, persoon: Persoon, email: str) -> Persoon:
    """R22: the person changes their own e-mail address (Mijn profiel). The old address is told."""
    email = _valideer_email(email)
    middel = Middel.objects.select_for_update().select_related("persoon").get(persoon=persoon)
    oud = _email_zetten(persoon, middel, email)
    if oud and oud.lower() != email.lower():
        meld_email_gewijzigd(persoon=middel.persoon, oud_email=oud, nieuw_email=email)
    return middel.persoon

"""R24: creating, renaming and deleting a group. Deleting ends the group's machtigingen (audited, R37)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk, audit_log
from berichten.meldingen.groepen import GroepWijziging, meld_groep_machtigingen_gewijzigd
from common.errors import DomainError
from groepen import rules
from groepen.models import Groep, GroepLid
from groepen.services._common import beheerder_middel, ontvangers, staat_groep, vergrendel
from groepen.services.machtigingen import groep_machtigingen_beeindigen


def _geldige_naam(organisatie_id: int, naam: str, *, behalve: int | None = None) -> str:
    naam = rules.normaliseer_naam(naam)
    weigering = rules.naam_weigering(naam)
    if weigering:
        raise DomainError(weigering, rule="R24", code="naam")
    dubbel = Groep.objects.bestaand().filter(organisatie_id=organisatie_id)
    dubbel = dubbel.annotate(naam_klein=Lower("naam")).filter(naam_klein=naam.lower())
    if behalve is not None:
        dubbel = dubbel.exclude(pk=behalve)
    if dubbel.exists():
        raise DomainError(rules.NAAM_BESTAAT, rule="R24", code="naam")
    return naam


def _opslaan(groep: Groep, **kwargs) -> None:
    # The unique constraint is the backstop for two beheerders choosing the same name at the same moment.
    try:
        with transaction.atomic():
            groep.save(**kwargs)
    except IntegrityError:
        raise DomainError(rules.NAAM_BESTAAT, rule="R24", code="naam") from None


@transaction.atomic
def groep_aanmaken(*, actor, organisatie, naam: str) -> Groep:
    beheerder_middel(actor, organisatie.pk)
    groep = Groep(organisatie=organisatie, naam=_geldige_naam(organisatie.pk, naam))
    _opslaan(groep)
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie=Actie.GROEP_AANGEMAAKT,
        omschrijving=gettext("Groep %(naam)s aangemaakt") % {"naam": groep.naam},
        object=groep,
        na=staat_groep(groep),
    )
    return groep


@transaction.atomic
def groep_hernoemen(*, actor, groep: Groep, naam: str) -> Groep:
    beheerder_middel(actor, groep.organisatie_id)
    groep = vergrendel(groep)
    voor = staat_groep(groep)
    nieuw = _geldige_naam(groep.organisatie_id, naam, behalve=groep.pk)
    if nieuw == groep.naam:
        return groep
    groep.naam = nieuw
    _opslaan(groep, update_fields=["naam"])
    audit_log(
        actor=actor,
        organisatie=groep.organisatie,
        actie=Actie.GROEP_HERNOEMD,
        omschrijving=gettext("Groep %(oud)s hernoemd naar %(naam)s") % {"oud": voor["naam"], "naam": nieuw},
        object=groep,
        voor=voor,
        na=staat_groep(groep),
    )
    return groep


@transaction.atomic
def groep_verwijderen(*, actor, groep: Groep) -> list:
    """Delete the group: its running machtigingen end at once (each audited), its members are told once (R37),
    its memberships go. The group row stays (marked deleted) with its ended machtigingen, for the record and the
    register's reasons; its name is free again. Returns the ended group machtigingen."""
    beheerder_middel(actor, groep.organisatie_id)
    groep = vergrendel(groep)
    voor = staat_groep(groep)
    personen = ontvangers(groep)
    reden = gettext("groep %(naam)s verwijderd") % {"naam": groep.naam}
    beeindigd = groep_machtigingen_beeindigen(groep, door=actor, reden=reden, melden=False)
    leden = list(GroepLid.objects.filter(groep=groep).select_related("koppeling__middel__persoon"))
    GroepLid.objects.filter(groep=groep).delete()
    groep.opgeheven_op = timezone.now()
    groep.save(update_fields=["opgeheven_op"])
    audit_bulk(
        [
            {
                "organisatie_id": groep.organisatie_id,
                "actie": Actie.GROEP_VERWIJDERD,
                "omschrijving": gettext(
                    "Groep %(naam)s verwijderd (%(leden)d leden, %(machtigingen)d machtigingen beëindigd)"
                )
                % {"naam": groep.naam, "leden": len(leden), "machtigingen": len(beeindigd)},
                "object_type": Groep.__name__,
                "object_id": groep.pk,
                "voor": {**voor, "leden": [lid.koppeling.middel_id for lid in leden]},
                "na": staat_groep(groep),
            }
        ],
        actor=actor,
    )
    if beeindigd:
        meld_groep_machtigingen_gewijzigd(
            organisatie=groep.organisatie, personen=personen, groep=groep, tekst=GroepWijziging.VERWIJDERD
        )
    return beeindigd

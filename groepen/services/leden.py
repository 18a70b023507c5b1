"""R24: adding people to a group and removing them. A member holds the group's machtigingen from joining until
leaving; leaving the organisation (the koppeling ends) ends the membership by itself (see `groepen.models`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk, audit_log
from berichten.meldingen.groepen import GroepWijziging, meld_groep_machtigingen_gewijzigd
from common.errors import DomainError
from gebruikers.models import Koppeling
from groepen import rules
from groepen.models import Groep, GroepLid
from groepen.services._common import (
    audit_regel,
    beheerder_middel,
    ontvangers,
    vergrendel,
)


def _ids(values: Iterable) -> list[int]:
    try:
        return list(dict.fromkeys(int(getattr(v, "pk", v)) for v in values))
    except (TypeError, ValueError):
        raise DomainError(rules.GEEN_LID_MOGELIJK, rule="R24") from None


@transaction.atomic
def leden_toevoegen(*, actor, groep: Groep, middelen: Iterable) -> list[GroepLid]:
    """Add the people holding `middelen` (instances or ids) to the group; all or nothing. Each must be a person
    of the group's organisation (a running koppeling, middel not ended). Those already members are left as they
    are. New members who can hold machtigingen are told once if the group holds any (R37). Returns the new
    memberships."""
    beheerder_middel(actor, groep.organisatie_id)
    groep = vergrendel(groep)
    middel_ids = _ids(middelen)
    if not middel_ids:
        raise DomainError(rules.GEEN_LEDEN, rule="R24", code="geen_leden")
    koppelingen = list(
        Koppeling.objects.lopend()
        .filter(organisatie_id=groep.organisatie_id, middel_id__in=middel_ids)
        .select_related("middel__persoon")
        .order_by("pk")
    )
    if len(koppelingen) != len(middel_ids) or not all(
        rules.kan_lid_worden(k, groep.organisatie_id) for k in koppelingen
    ):
        raise DomainError(rules.GEEN_LID_MOGELIJK, rule="R24")
    al_lid = set(GroepLid.objects.filter(groep=groep, koppeling__in=koppelingen).values_list("koppeling_id", flat=True))
    nieuw = GroepLid.objects.bulk_create(
        [GroepLid(groep=groep, koppeling=k) for k in koppelingen if k.pk not in al_lid]
    )
    if not nieuw:
        return []
    per_koppeling = {k.pk: k for k in koppelingen}
    audit_bulk(
        [
            audit_regel(
                groep,
                actie=Actie.GROEP_LID_TOEGEVOEGD,
                omschrijving=gettext("%(persoon)s toegevoegd aan groep %(groep)s")
                % {"persoon": per_koppeling[lid.koppeling_id].middel.persoon.naam, "groep": groep.naam},
                obj=lid,
                na={"groep": groep.pk, "middel": per_koppeling[lid.koppeling_id].middel_id},
            )
            for lid in nieuw
        ],
        actor=actor,
    )
    meld_groep_machtigingen_gewijzigd(
        organisatie=groep.organisatie,
        personen=ontvangers(groep, koppeling_ids={lid.koppeling_id for lid in nieuw}),
        groep=groep,
        tekst=GroepWijziging.LID_GEWORDEN,
    )
    return nieuw


@transaction.atomic
def lid_verwijderen(*, actor, groep: Groep, middel) -> None:
    """Remove the person holding `middel` from the group: from now on the group's machtigingen no longer count
    for them (the register decides from the membership). They are told if they held any (R37)."""
    beheerder_middel(actor, groep.organisatie_id)
    groep = vergrendel(groep)
    lid = (
        GroepLid.objects.filter(
            groep=groep,
            koppeling__in=Koppeling.objects.lopend(),
            koppeling__middel_id=getattr(middel, "pk", middel),
        )
        .select_related("koppeling__middel__persoon")
        .first()
    )
    if lid is None:
        raise DomainError(rules.GEEN_LID, rule="R24")
    personen = ontvangers(groep, koppeling_ids={lid.koppeling_id})
    persoon = lid.koppeling.middel.persoon
    audit_log(
        actor=actor,
        organisatie=groep.organisatie,
        actie=Actie.GROEP_LID_VERWIJDERD,
        omschrijving=gettext("%(persoon)s verwijderd uit groep %(groep)s")
        % {"persoon": persoon.naam, "groep": groep.naam},
        object=lid,
        voor={"groep": groep.pk, "middel": lid.koppeling.middel_id},
    )
    lid.delete()
    meld_groep_machtigingen_gewijzigd(
        organisatie=groep.organisatie, personen=personen, groep=groep, tekst=GroepWijziging.GEEN_LID_MEER
    )

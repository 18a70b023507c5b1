"""+ Voeg toe with people and groups together (R24): the people's pairs through `bulk`, each chosen group's own
machtiging through `groepen.services.groep_machtiging_toevoegen`, in one transaction and with one confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, ngettext

from common.dates import vandaag
from common.errors import DomainError
from common.locks import vergrendel
from common.weergave import datum
from groepen.models import Groep
from groepen.services import GROEP_NIET_GEVONDEN, groep_machtiging_toevoegen
from machtigingen.models import Status
from machtigingen.selectors import ids_van
from machtigingen.services._common import GEEN_GEBRUIKER, _beheerder_middel
from machtigingen.services.bulk import BulkResultaat, einddatum_bepalen, machtigingen_bulk_toevoegen
from organisaties.models import Organisatie


@dataclass(frozen=True)
class GroepResultaat:
    naam: str
    nieuw: int
    gewijzigd: int


@dataclass(frozen=True)
class WizardResultaat:
    """What + Voeg toe did for the chosen people (None when only groups were chosen) and for each chosen group."""

    personen: BulkResultaat | None
    groepen: list[GroepResultaat]
    eindigt_op: dt.date

    @property
    def bevestiging(self) -> str:
        """The one confirmation on screen for the whole step (R74)."""
        delen = [self.personen.bevestiging] if self.personen else []
        for groep in self.groepen:
            wat = []
            if groep.nieuw:
                wat.append(
                    ngettext("%(n)d machtiging toegevoegd", "%(n)d machtigingen toegevoegd", groep.nieuw)
                    % {"n": groep.nieuw}
                )
            if groep.gewijzigd:
                wat.append(
                    ngettext(
                        "van %(n)d machtiging de einddatum gewijzigd",
                        "van %(n)d machtigingen de einddatum gewijzigd",
                        groep.gewijzigd,
                    )
                    % {"n": groep.gewijzigd}
                )
            delen.append(
                gettext("Gelukt: %(wat)s, geldig tot %(datum)s, voor groep %(groep)s.")
                % {"wat": gettext(" en ").join(wat), "datum": datum(self.eindigt_op), "groep": groep.naam}
            )
        return " ".join(delen)


@transaction.atomic
def machtigingen_en_groepen_toevoegen(
    *,
    actor,
    organisatie: Organisatie,
    middelen: Iterable = (),
    groepen: Iterable = (),
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | str | None = None,
) -> WizardResultaat:
    """+ Voeg toe with people and groups (R24): every chosen person gets every chosen scope (as
    machtigingen_bulk_toevoegen) and every chosen group holds it itself (groepen.services.groep_machtiging_toevoegen,
    R36: a scope the group holds gets the new end date), in ONE transaction: one refusal, for a person or a group,
    leaves everything unchanged. A foreign or deleted group refuses the whole step."""
    middel_ids, groep_ids = ids_van(middelen), ids_van(groepen)
    if not middel_ids and not groep_ids:
        raise DomainError(GEEN_GEBRUIKER, code="geen_gebruiker")
    # The one lock order (common.locks): the organisation first; the bulk service locks the people next, each
    # group service its group after that (a kind further down the list).
    vergrendel(organisaties=[organisatie], beheerders=False)
    _beheerder_middel(actor, organisatie.pk)
    gekozen = list(Groep.objects.bestaand().filter(organisatie=organisatie, pk__in=groep_ids).order_by("pk"))
    if len(gekozen) != len(groep_ids):
        raise DomainError(GROEP_NIET_GEVONDEN, rule="R24")
    scopes = {"diensten": diensten, "algemene_niveaus": algemene_niveaus, "dienstverleners": dienstverleners}
    personen = None
    if middel_ids:
        personen = machtigingen_bulk_toevoegen(
            actor=actor, organisatie=organisatie, middelen=middel_ids, eindigt_op=eindigt_op, **scopes
        )
        eindigt_op = personen.eindigt_op
    else:
        eindigt_op = einddatum_bepalen("5" if eindigt_op is None else eindigt_op)
    uitkomst = []
    for groep in gekozen:
        vooraf = set(
            groep.machtigingen.filter(status=Status.ACTIEF, eindigt_op__gt=vandaag()).values_list("pk", flat=True)
        )
        rijen = groep_machtiging_toevoegen(actor=actor, groep=groep, eindigt_op=eindigt_op, **scopes)
        gewijzigd = sum(1 for m in rijen if m.pk in vooraf)
        uitkomst.append(GroepResultaat(naam=groep.naam, nieuw=len(rijen) - gewijzigd, gewijzigd=gewijzigd))
    return WizardResultaat(personen=personen, groepen=uitkomst, eindigt_op=eindigt_op)

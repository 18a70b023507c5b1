"""Daily reminder jobs: machtigingen ending soon (R34) and a sole beheerder whose own middel ends (R5); and the
warnings of the R76 job (machtigingen.services.ongebruikt) about machtigingen, group machtigingen and
ketenmachtigingen unused for 22 months, with the message to the members when group machtigingen end unused."""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk
from berichten.meldingen.groepen import GroepWijziging
from berichten.models import HerinneringVerstuurd, Soort
from berichten.outbox import Plaatsing, plaats_alle, taal_voor
from common.dates import plus_maanden, vandaag
from gebruikers.models import Koppeling, Middel
from machtigingen.models import Machtiging, Status

# R34: reminders are sent for what ends within 2 months.
HERINNERING_MAANDEN = 2


def _zonder_herinnering(soort: str, datum_veld: str):
    return ~Exists(
        HerinneringVerstuurd.objects.filter(soort=soort, object_id=OuterRef("pk"), datum=OuterRef(datum_veld))
    )


def _vergrendel(qs):
    # Two runs at once: each skips the rows the other is handling (PostgreSQL; SQLite serialises writers).
    return qs.select_for_update(skip_locked=True, of=("self",))


@transaction.atomic
def verlopende_machtigingen_herinneren(*, peildatum: dt.date | None = None) -> int:
    """Daily: active machtigingen ending within 2 months → one message per person per organisation, listing
    them. Each (machtiging, end date) is reminded once; a new end date gets a new reminder."""
    dag = peildatum or vandaag()
    grens = plus_maanden(dag, HERINNERING_MAANDEN)
    soort = Soort.MACHTIGING_VERLOOPT_BINNENKORT
    machtigingen = list(
        _vergrendel(
            Machtiging.objects.filter(
                status=Status.ACTIEF,
                eindigt_op__gt=dag,
                eindigt_op__lte=grens,
                middel__persoon__is_active=True,
            ).filter(_zonder_herinnering(soort, "eindigt_op"))
        )
        .select_related("dienst", "dienst__dienstverlener", "dienstverlener", "organisatie", "middel__persoon")
        .order_by("middel__persoon_id", "organisatie_id", "eindigt_op", "pk")
    )
    groepen: dict[tuple[int, int], list] = {}
    for m in machtigingen:
        groepen.setdefault((m.middel.persoon_id, m.organisatie_id), []).append(m)
    plaatsingen = []
    for lijst in groepen.values():
        persoon, organisatie = lijst[0].middel.persoon, lijst[0].organisatie
        plaatsingen.append(
            Plaatsing(
                soort=soort,
                ontvanger=persoon.email,
                context={"persoon": persoon, "organisatie": organisatie, "machtigingen": lijst},
                taal=taal_voor(persoon, None),
                persoon_id=persoon.pk,
                organisatie_id=organisatie.pk,
            )
        )
    berichten = plaats_alle(plaatsingen)
    per_groep = {(b.persoon_id, b.organisatie_id): b for b in berichten}
    HerinneringVerstuurd.objects.bulk_create(
        [
            HerinneringVerstuurd(
                soort=soort,
                object_id=m.pk,
                datum=m.eindigt_op,
                bericht=per_groep.get((m.middel.persoon_id, m.organisatie_id)),
            )
            for m in machtigingen
        ],
        batch_size=1000,
    )
    audit_bulk(
        {
            "organisatie_id": b.organisatie_id,
            "actie": Actie.BERICHT_HERINNERING_MACHTIGING,
            "omschrijving": _("Herinnering verstuurd: machtigingen verlopen binnenkort (%(ontvanger)s)")
            % {"ontvanger": b.ontvanger},
            "object_type": "Bericht",
            "object_id": b.pk,
        }
        for b in berichten
    )
    return len(berichten)


@transaction.atomic
def eigen_middel_zonder_beheerder_waarschuwen(*, peildatum: dt.date | None = None) -> int:
    """Daily: a beheerder whose own koppeling ends within 2 months (a planned termination, or a subscription
    without automatic renewal) while the organisation has no other beheerder who stays → warn them once per
    (koppeling, end date), so they appoint another beheerder in time (R5)."""
    dag = peildatum or vandaag()
    grens = plus_maanden(dag, HERINNERING_MAANDEN)
    soort = Soort.EIGEN_MIDDEL_EINDIGT
    actieve_beheerder = Q(
        rol=Koppeling.Rol.BEHEERDER, status=Koppeling.Status.ACTIEF, middel__status=Middel.Status.ACTIEF
    )
    andere_blijft = Koppeling.objects.filter(actieve_beheerder, organisatie_id=OuterRef("organisatie_id")).exclude(
        pk=OuterRef("pk")
    )
    # The other beheerder must outlast this one: no planned termination, or a later one.
    andere_blijft = andere_blijft.filter(Q(opzeggen_per__isnull=True) | Q(opzeggen_per__gt=OuterRef("einddatum")))
    eindigt = Q(opzeggen_per__isnull=False) | Q(automatische_verlenging=False, abonnement_eind__isnull=False)
    koppelingen = list(
        _vergrendel(
            Koppeling.objects.filter(actieve_beheerder, eindigt)
            .annotate(einddatum=Coalesce("opzeggen_per", "abonnement_eind"))
            .filter(einddatum__gt=dag, einddatum__lte=grens, middel__persoon__is_active=True)
            .filter(~Exists(andere_blijft))
            .filter(_zonder_herinnering(soort, "einddatum"))
        )
        .select_related("organisatie", "middel__persoon")
        .order_by("pk")
    )
    plaatsingen = [
        Plaatsing(
            soort=soort,
            ontvanger=k.middel.persoon.email,
            context={"persoon": k.middel.persoon, "organisatie": k.organisatie, "einddatum": k.einddatum},
            taal=taal_voor(k.middel.persoon, None),
            persoon_id=k.middel.persoon_id,
            organisatie_id=k.organisatie_id,
        )
        for k in koppelingen
    ]
    berichten = plaats_alle(plaatsingen)
    per_koppeling = dict(zip([k.pk for k in koppelingen if k.middel.persoon.email], berichten, strict=True))
    HerinneringVerstuurd.objects.bulk_create(
        [
            HerinneringVerstuurd(soort=soort, object_id=k.pk, datum=k.einddatum, bericht=per_koppeling.get(k.pk))
            for k in koppelingen
        ],
        batch_size=1000,
    )
    audit_bulk(
        {
            "organisatie_id": b.organisatie_id,
            "actie": Actie.BERICHT_WAARSCHUWING_EIGEN_MIDDEL,
            "omschrijving": _("Waarschuwing verstuurd: eigen middel eindigt zonder andere beheerder (%(ontvanger)s)")
            % {"ontvanger": b.ontvanger},
            "object_type": "Bericht",
            "object_id": b.pk,
        }
        for b in berichten
    )
    return len(berichten)


def ongebruikte_machtigingen_waarschuwen(machtigingen, *, einddatum: dt.date) -> int:
    """R76: warn that these machtigingen, unused for 22 months, end on `einddatum` unless used before then.

    One e-mail per person per organisation listing their machtigingen, and one per beheerder of each organisation
    listing all of that organisation's; each machtiging is marked (HerinneringVerstuurd, datum = the end date
    announced) so the job warns once per period without use. A constant number of queries however many.
    `machtigingen` come with middel__persoon, organisatie and their scope's dienst/dienstverlener loaded."""
    machtigingen = sorted(machtigingen, key=lambda m: (m.organisatie_id, m.middel.persoon_id, m.pk))
    if not machtigingen:
        return 0
    soort = Soort.MACHTIGING_ONGEBRUIKT
    per_persoon: dict[tuple[int, int], list] = {}
    per_organisatie: dict[int, list] = {}
    for m in machtigingen:
        per_persoon.setdefault((m.middel.persoon_id, m.organisatie_id), []).append(m)
        per_organisatie.setdefault(m.organisatie_id, []).append(m)
    plaatsingen = []
    for lijst in per_persoon.values():
        persoon, organisatie = lijst[0].middel.persoon, lijst[0].organisatie
        if not persoon.is_active:
            continue
        plaatsingen.append(
            Plaatsing(
                soort=soort,
                ontvanger=persoon.email,
                context={"persoon": persoon, "organisatie": organisatie, "machtigingen": lijst, "einddatum": einddatum},
                taal=taal_voor(persoon, None),
                persoon_id=persoon.pk,
                organisatie_id=organisatie.pk,
            )
        )
    beheerders = (
        Koppeling.objects.beheer()
        .filter(organisatie_id__in=per_organisatie, middel__persoon__is_active=True)
        .select_related("middel__persoon")
        .order_by("organisatie_id", "middel__persoon_id")
    )
    gehad: set[tuple[int, int]] = set()
    for k in beheerders:
        persoon = k.middel.persoon
        if (persoon.pk, k.organisatie_id) in gehad:
            continue
        gehad.add((persoon.pk, k.organisatie_id))
        lijst = per_organisatie[k.organisatie_id]
        plaatsingen.append(
            Plaatsing(
                soort=soort,
                ontvanger=persoon.email,
                context={
                    "persoon": persoon,
                    "organisatie": lijst[0].organisatie,
                    "machtigingen": lijst,
                    "einddatum": einddatum,
                    "als_beheerder": True,
                },
                taal=taal_voor(persoon, None),
                persoon_id=persoon.pk,
                organisatie_id=k.organisatie_id,
            )
        )
    berichten = plaats_alle(plaatsingen)
    HerinneringVerstuurd.objects.bulk_create(
        [HerinneringVerstuurd(soort=soort, object_id=m.pk, datum=einddatum) for m in machtigingen],
        batch_size=1000,
    )
    audit_bulk(
        {
            "organisatie_id": b.organisatie_id,
            "actie": Actie.BERICHT_WAARSCHUWING_ONGEBRUIKT,
            "omschrijving": _("Waarschuwing verstuurd: machtigingen niet gebruikt (%(ontvanger)s)")
            % {"ontvanger": b.ontvanger},
            "object_type": "Bericht",
            "object_id": b.pk,
        }
        for b in berichten
    )
    return len(berichten)


def _beheerders_per_organisatie(organisatie_ids) -> list:
    """The beheer-koppelingen (R1) of active people at these organisations, one per person per organisation,
    with middel__persoon loaded. One query."""
    gehad: set[tuple[int, int]] = set()
    uit = []
    for k in (
        Koppeling.objects.beheer()
        .filter(organisatie_id__in=organisatie_ids, middel__persoon__is_active=True)
        .select_related("middel__persoon")
        .order_by("organisatie_id", "middel__persoon_id")
    ):
        if (k.middel.persoon_id, k.organisatie_id) not in gehad:
            gehad.add((k.middel.persoon_id, k.organisatie_id))
            uit.append(k)
    return uit


def _waarschuwingen_vastleggen(soort: str, object_ids, *, einddatum: dt.date, berichten, omschrijving) -> None:
    """Mark each object warned for the period ending `einddatum` (once per period, R76) and audit each message."""
    HerinneringVerstuurd.objects.bulk_create(
        [HerinneringVerstuurd(soort=soort, object_id=pk, datum=einddatum) for pk in object_ids],
        batch_size=1000,
    )
    audit_bulk(
        {
            "organisatie_id": b.organisatie_id,
            "actie": Actie.BERICHT_WAARSCHUWING_ONGEBRUIKT,
            "omschrijving": omschrijving % {"ontvanger": b.ontvanger},
            "object_type": "Bericht",
            "object_id": b.pk,
        }
        for b in berichten
    )


def ongebruikte_groepsmachtigingen_waarschuwen(groepsmachtigingen, *, einddatum: dt.date) -> int:
    """R76 for groups: warn the beheerders of each organisation that these group machtigingen, used by no member
    for 22 months, end on `einddatum` for the whole group unless used before then. One e-mail per beheerder per
    organisation listing that organisation's; each marked (HerinneringVerstuurd) so the job warns once per
    period. A constant number of queries. `groepsmachtigingen` come with groep__organisatie and their scope's
    dienst/dienstverlener loaded."""
    if not groepsmachtigingen:
        return 0
    soort = Soort.GROEPSMACHTIGING_ONGEBRUIKT
    per_organisatie: dict[int, list] = {}
    for m in sorted(groepsmachtigingen, key=lambda m: (m.groep.organisatie_id, m.groep.naam.lower(), m.pk)):
        per_organisatie.setdefault(m.groep.organisatie_id, []).append(m)
    plaatsingen = [
        Plaatsing(
            soort=soort,
            ontvanger=k.middel.persoon.email,
            context={
                "persoon": k.middel.persoon,
                "organisatie": per_organisatie[k.organisatie_id][0].groep.organisatie,
                "machtigingen": per_organisatie[k.organisatie_id],
                "einddatum": einddatum,
            },
            taal=taal_voor(k.middel.persoon, None),
            persoon_id=k.middel.persoon_id,
            organisatie_id=k.organisatie_id,
        )
        for k in _beheerders_per_organisatie(per_organisatie)
    ]
    berichten = plaats_alle(plaatsingen)
    _waarschuwingen_vastleggen(
        soort,
        [m.pk for m in groepsmachtigingen],
        einddatum=einddatum,
        berichten=berichten,
        omschrijving=_("Waarschuwing verstuurd: machtigingen van groepen niet gebruikt (%(ontvanger)s)"),
    )
    return len(berichten)


def ongebruikte_groepsmachtigingen_beeindigd_melden(houders) -> int:
    """R37 when group machtigingen ended unused (R76): ONE message per person per organisation, a line per group
    whose machtigingen they held. `houders`: (persoon, organisatie, groepen) triples. One INSERT."""
    plaatsingen = [
        Plaatsing(
            soort=Soort.MACHTIGINGEN_GEWIJZIGD,
            ontvanger=persoon.email,
            context={
                "persoon": persoon,
                "organisatie": organisatie,
                "wijzigingen": [
                    GroepWijziging(GroepWijziging.BEEINDIGD, groep.naam)
                    for groep in sorted(groepen, key=lambda g: (g.naam.lower(), g.pk))
                ],
            },
            taal=taal_voor(persoon, None),
            persoon_id=persoon.pk,
            organisatie_id=organisatie.pk,
        )
        for persoon, organisatie, groepen in houders
        if persoon.email and persoon.is_active
    ]
    return len(plaats_alle(plaatsingen)) if plaatsingen else 0


def ongebruikte_ketenmachtigingen_waarschuwen(ketenmachtigingen, *, einddatum: dt.date) -> int:
    """R76 for ketenmachtigingen: warn that these, used through no linked middel for 22 months, end on
    `einddatum` unless used before then. One e-mail per beheerder of each verlener (what it gave) and of each
    intermediair (what it received), listing both when an organisation is on either side; each marked
    (HerinneringVerstuurd) so the job warns once per period. A constant number of queries. `ketenmachtigingen`
    come with verlener, intermediair and their scope's dienst/dienstverlener loaded."""
    if not ketenmachtigingen:
        return 0
    soort = Soort.KETENMACHTIGING_ONGEBRUIKT
    afgegeven: dict[int, list] = {}
    ontvangen: dict[int, list] = {}
    organisaties: dict[int, object] = {}
    for k in sorted(ketenmachtigingen, key=lambda k: k.pk):
        afgegeven.setdefault(k.verlener_id, []).append(k)
        ontvangen.setdefault(k.intermediair_id, []).append(k)
        organisaties[k.verlener_id], organisaties[k.intermediair_id] = k.verlener, k.intermediair
    plaatsingen = [
        Plaatsing(
            soort=soort,
            ontvanger=b.middel.persoon.email,
            context={
                "persoon": b.middel.persoon,
                "organisatie": organisaties[b.organisatie_id],
                "afgegeven": afgegeven.get(b.organisatie_id, []),
                "ontvangen": ontvangen.get(b.organisatie_id, []),
                "einddatum": einddatum,
            },
            taal=taal_voor(b.middel.persoon, None),
            persoon_id=b.middel.persoon_id,
            organisatie_id=b.organisatie_id,
        )
        for b in _beheerders_per_organisatie(organisaties)
    ]
    berichten = plaats_alle(plaatsingen)
    _waarschuwingen_vastleggen(
        soort,
        [k.pk for k in ketenmachtigingen],
        einddatum=einddatum,
        berichten=berichten,
        omschrijving=_("Waarschuwing verstuurd: ketenmachtigingen niet gebruikt (%(ontvanger)s)"),
    )
    return len(berichten)

"""R74 for the bulk step of + Voeg toe (`machtigingen.services.bulk`): one audit entry per person and kind of
change, holding per machtiging (keyed by scope name, as the Logboek shows it) what it was and became; and the
closing of machtigingen past their end date that the expiry job has not flipped yet."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, ngettext

from audit.acties import Actie
from gebruikers.models import Middel
from machtigingen.models import Machtiging, Status
from machtigingen.services._common import _iso

_STAAT_VELDEN = (
    "pk",
    "middel_id",
    "scope",
    "dienst_id",
    "niveau",
    "dienstverlener_id",
    "status",
    "begint_op",
    "eindigt_op",
    "termijn_begint_op",
    "ingetrokken_op",
)


def _staat(rij: dict) -> dict:
    """The audit snapshot of a machtiging read as values (the same keys as services._common._staat)."""
    return {
        "middel": rij["middel_id"],
        "scope": rij["scope"],
        "dienst": rij["dienst_id"],
        "niveau": rij["niveau"],
        "dienstverlener": rij["dienstverlener_id"],
        "status": rij["status"],
        "begint_op": _iso(rij["begint_op"]),
        "eindigt_op": _iso(rij["eindigt_op"]),
        "termijn_begint_op": _iso(rij["termijn_begint_op"]),
        "ingetrokken_op": _iso(rij["ingetrokken_op"]),
    }


def _verouderd_sluiten(organisatie, pks: list[int], audit: list[dict]) -> None:
    """Machtigingen past their end date that the expiry job has not flipped yet: closed, one audit row each as the
    job writes them (they are few: the job runs daily)."""
    rijen = list(Machtiging.objects.filter(pk__in=pks).order_by("pk").values(*_STAAT_VELDEN))
    Machtiging.objects.filter(pk__in=pks).update(status=Status.VERLOPEN)
    verlopen = gettext("Machtiging verlopen")
    for rij in rijen:
        voor = _staat(rij)
        audit.append(
            {
                "organisatie_id": organisatie.pk,
                "actie": Actie.MACHTIGING_VERLOPEN,
                "omschrijving": verlopen,
                "object_type": Machtiging.__name__,
                "object_id": rij["pk"],
                "voor": voor,
                "na": {**voor, "status": Status.VERLOPEN},
            }
        )


# The audit line of a person lists the scopes it concerns; the full record is in its before and after.
_OMSCHRIJVING_MAX = 500


def _opsomming(tekst: str, namen: list[str]) -> str:
    """`tekst` followed by the scope names, cut with an ellipsis where the audit line ends."""
    regel = f"{tekst}: {', '.join(namen)}"
    return regel if len(regel) <= _OMSCHRIJVING_MAX else regel[: _OMSCHRIJVING_MAX - 1] + "…"


def _sleutel(namen: dict, naam: str, pk: int | None) -> str:
    """The scope's name as the key of before/after (as the Logboek shows it); a name chosen twice (two diensten
    of one name) gets the machtiging's number, or for a new one a count."""
    if naam not in namen:
        return naam
    if pk is not None:
        return f"{naam} ({pk})"
    n = 2
    while f"{naam} ({n})" in namen:
        n += 1
    return f"{naam} ({n})"


class _AuditRegels:
    """R74 for each person of the step: one entry for the machtigingen added and one for those given the new end
    date, each holding per machtiging (keyed by scope name, as the Logboek shows it) what it was and became.
    Searching the Logboek for the person finds them; the step's 10,000 pairs are 500 people, not 10,000 lines.
    The texts are translated once per count, not once per person."""

    def __init__(self, organisatie_id: int, datum_tekst: str, eindigt_op: dt.date, vandaag_: dt.date):
        self.organisatie_id, self.datum = organisatie_id, datum_tekst
        self.eind, self.vandaag = _iso(eindigt_op), _iso(vandaag_)
        self.nieuw = {"begint_op": self.vandaag, "eindigt_op": self.eind}
        self._teksten: dict[tuple, str] = {}
        # Everyone given the same diensten shares one `na` object (audit_bulk encodes each object once).
        self._na_toegevoegd: dict[tuple, dict] = {}

    def _tekst(self, soort: str, n: int) -> str:
        tekst = self._teksten.get((soort, n))
        if tekst is None:
            if soort == "toegevoegd":
                tekst = ngettext(
                    "%(n)d machtiging toegevoegd aan %(persoon)s, geldig tot %(datum)s",
                    "%(n)d machtigingen toegevoegd aan %(persoon)s, geldig tot %(datum)s",
                    n,
                )
            else:
                tekst = ngettext(
                    "Einddatum van %(n)d machtiging van %(persoon)s gewijzigd naar %(datum)s",
                    "Einddatum van %(n)d machtigingen van %(persoon)s gewijzigd naar %(datum)s",
                    n,
                )
            self._teksten[(soort, n)] = tekst
        return tekst

    def persoon(self, middel_id: int, persoon: str, toegevoegd: list[str], verlengd: list[tuple]) -> list[dict]:
        """`toegevoegd`: the scope names added; `verlengd`: (pk, scope name, end date, term start) before."""
        entries = []
        if toegevoegd:
            na = self._na_toegevoegd.get(tuple(toegevoegd))
            if na is None:
                na = self._na_toegevoegd[tuple(toegevoegd)] = {}
                for naam in toegevoegd:
                    na[_sleutel(na, naam, None)] = self.nieuw
            tekst = self._tekst("toegevoegd", len(toegevoegd)) % {
                "n": len(toegevoegd),
                "persoon": persoon,
                "datum": self.datum,
            }
            entries.append(
                _entry(
                    self.organisatie_id, middel_id, Actie.MACHTIGING_TOEGEVOEGD, _opsomming(tekst, toegevoegd), None, na
                )
            )
        if verlengd:
            voor: dict = {}
            na = {}
            for pk, naam, eind, termijn_was in verlengd:
                sleutel = _sleutel(voor, naam, pk)
                voor[sleutel] = {"machtiging": pk, "eindigt_op": eind, "termijn_begint_op": termijn_was}
                na[sleutel] = {"machtiging": pk, "eindigt_op": self.eind, "termijn_begint_op": self.vandaag}
            tekst = self._tekst("einddatum", len(verlengd)) % {
                "n": len(verlengd),
                "persoon": persoon,
                "datum": self.datum,
            }
            namen = [naam for _pk, naam, *_waren in verlengd]
            entries.append(
                _entry(
                    self.organisatie_id,
                    middel_id,
                    Actie.MACHTIGING_EINDDATUM_GEWIJZIGD,
                    _opsomming(tekst, namen),
                    voor,
                    na,
                )
            )
        return entries


def _entry(organisatie_id: int, middel_id: int, actie: Actie, omschrijving: str, voor, na) -> dict:
    return {
        "organisatie_id": organisatie_id,
        "actie": actie,
        "omschrijving": omschrijving,
        "object_type": Middel.__name__,
        "object_id": middel_id,
        "voor": voor,
        "na": na,
    }

"""Messages of the rubriek Gebruikers (R15–R22): activation, requests, changes to a person's middel.

Who is told, per event: the person concerned when their own middel or address changes; every beheerder of the
organisation for what is ordered or ended in its name (a request, a type change, a termination), so an order or a
termination never goes unnoticed by the other beheerders; and the beheerder who asked for what support decided.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from berichten.models import Bericht, Soort
from berichten.outbox import Plaatsing, bericht_plaatsen, plaats_alle, taal_voor
from common.weergave import maskeer, maskeer_email
from gebruikers.models import Aanvraag, Koppeling, Persoon


def _beheerders(organisatie_ids: Iterable[int]) -> dict[int, list[Persoon]]:
    """Per organisation the persons with a beheer-koppeling there (R1), who can act on what a message says."""
    per_organisatie: dict[int, list[Persoon]] = {}
    koppelingen = (
        Koppeling.objects.beheer()
        .filter(organisatie_id__in=set(organisatie_ids))
        .select_related("middel__persoon")
        .order_by("organisatie_id", "middel__persoon_id")
    )
    for k in koppelingen:
        per_organisatie.setdefault(k.organisatie_id, []).append(k.middel.persoon)
    return per_organisatie


def _aan(persoon: Persoon, soort: str, organisatie, **context) -> Plaatsing:
    return Plaatsing(
        soort=soort,
        ontvanger=persoon.email,
        context={"persoon": persoon, "organisatie": organisatie, **context},
        taal=taal_voor(persoon, None),
        persoon_id=persoon.pk,
        organisatie_id=organisatie.pk,
    )


def meld_activatie(*, persoon, activeren_tot: dt.date, link: str, organisatie=None) -> Bericht | None:
    """R18: the invitation to activate, with the deadline ("Activeren mogelijk tot DD-MM-JJJJ")."""
    return bericht_plaatsen(
        soort=Soort.ACTIVATIE,
        persoon=persoon,
        organisatie=organisatie,
        context={"activeren_tot": activeren_tot, "link": link},
    )


def meld_nieuwe_activatie(*, persoon, activeren_tot: dt.date, link: str, organisatie=None) -> Bericht | None:
    """R18: a new invitation after the previous one expired, again for 30 days."""
    return bericht_plaatsen(
        soort=Soort.NIEUWE_ACTIVATIE,
        persoon=persoon,
        organisatie=organisatie,
        context={"activeren_tot": activeren_tot, "link": link},
    )


def meld_aanvraag_afgekeurd(*, aanvraag, reden: str) -> Bericht | None:
    """R18: the beheerder who asked gets the reason of the rejection (nothing when nobody asked)."""
    beheerder = aanvraag.aangevraagd_door
    if beheerder is None:
        return None
    betreft = aanvraag.middel.persoon if aanvraag.middel_id else None
    return bericht_plaatsen(
        soort=Soort.AANVRAAG_AFGEKEURD,
        persoon=beheerder,
        organisatie=aanvraag.organisatie,
        context={"aanvraag": aanvraag, "reden": reden, "betreft": betreft},
    )


def meld_telefoonnummer_gewijzigd(*, persoon, nieuw_nummer: str, organisatie=None) -> Bericht | None:
    """R21: the person is told, by e-mail, that someone changed their SMS number (shown masked)."""
    return bericht_plaatsen(
        soort=Soort.TELEFOONNUMMER_GEWIJZIGD,
        persoon=persoon,
        organisatie=organisatie,
        context={"nummer": maskeer(nieuw_nummer)},
    )


def meld_aanvraag_ontvangen(*, aanvraag: Aanvraag) -> list[Bericht]:
    """A request that costs money was received (a new middel, an upgrade, a koppeling, a new activation letter):
    every beheerder of the organisation gets the confirmation, the one who asked and the others alike."""
    betreft = aanvraag.middel.persoon if aanvraag.middel_id else None
    totaal = ((aanvraag.gegevens or {}).get("kosten") or {}).get("totaal")
    ontvangers = _beheerders([aanvraag.organisatie_id]).get(aanvraag.organisatie_id, [])
    return plaats_alle(
        [
            _aan(
                p,
                Soort.AANVRAAG_ONTVANGEN,
                aanvraag.organisatie,
                aanvraag=aanvraag,
                betreft=betreft,
                door=aanvraag.aangevraagd_door,
                zelf=p.pk == aanvraag.aangevraagd_door_id,
                totaal=totaal,
            )
            for p in ontvangers
        ]
    )


def meld_type_gewijzigd(*, aanvraag: Aanvraag) -> list[Bericht]:
    """R23: the type of a middel changed at once (§3.8.2). The person concerned is told that their middel changed
    (and that their machtigingen were cleared); every beheerder of the organisation gets the new subscription's
    amounts."""
    middel = aanvraag.middel
    betreft = middel.persoon
    gegevens = aanvraag.gegevens or {}
    context = {
        "betreft": betreft,
        "door": aanvraag.aangevraagd_door,
        "type": middel.get_type_display(),
        "abonnement_jaren": gegevens.get("abonnement_jaren"),
        "credit": gegevens.get("credit"),
        "te_betalen": gegevens.get("te_betalen"),
    }
    beheerders = _beheerders([aanvraag.organisatie_id]).get(aanvraag.organisatie_id, [])
    ontvangers = [betreft, *(p for p in beheerders if p.pk != betreft.pk)]
    return plaats_alle(
        [
            _aan(p, Soort.TYPE_GEWIJZIGD, aanvraag.organisatie, betrokkene=p.pk == betreft.pk, **context)
            for p in ontvangers
        ]
    )


def meld_middel_opgezegd(
    *, koppelingen: Iterable[Koppeling], door: Persoon, organisaties_opgezegd: Iterable[int] = ()
) -> list[Bericht]:
    """R19, R20: eHerkenning of a person was terminated (per direct or planned), per organisation. The person is
    told when it ends; every other beheerder of that organisation is told who ended whose eHerkenning."""
    koppelingen = list(koppelingen)
    opgezegd = set(organisaties_opgezegd)
    beheerders = _beheerders(k.organisatie_id for k in koppelingen)
    plaatsingen = []
    for k in koppelingen:
        betreft = k.middel.persoon
        context = {
            "betreft": betreft,
            "door": door,
            "per_direct": k.status == Koppeling.Status.BEEINDIGD,
            "datum": k.beeindigd_op if k.status == Koppeling.Status.BEEINDIGD else k.opzeggen_per,
            "organisatie_opgezegd": k.organisatie_id in opgezegd,
        }
        ontvangers = [betreft, *(p for p in beheerders.get(k.organisatie_id, []) if p.pk != betreft.pk)]
        plaatsingen += [
            _aan(p, Soort.MIDDEL_OPGEZEGD, k.organisatie, betrokkene=p.pk == betreft.pk, **context) for p in ontvangers
        ]
    return plaats_alle(plaatsingen)


def meld_opzegging_niet_uitgevoerd(*, opzeggingen: Mapping[int, dt.date]) -> list[Bericht]:
    """R5: planned terminations (koppeling id → planned date) the job did not carry out, because the organisation
    would be left without a beheerder. The plan is cancelled, so every beheerder of the organisation (among them
    the one whose termination it was) is told, once per organisation, to appoint another beheerder first."""
    per_organisatie: dict[int, list] = {}
    organisaties = {}
    for k in (
        Koppeling.objects.filter(pk__in=list(opzeggingen))
        .select_related("organisatie", "middel__persoon")
        .order_by("organisatie_id", "pk")
    ):
        organisaties[k.organisatie_id] = k.organisatie
        per_organisatie.setdefault(k.organisatie_id, []).append(
            {"naam": k.middel.persoon.naam, "datum": opzeggingen[k.pk]}
        )
    beheerders = _beheerders(per_organisatie)
    return plaats_alle(
        [
            _aan(p, Soort.OPZEGGING_NIET_UITGEVOERD, organisaties[org_id], opzeggingen=lijst)
            for org_id, lijst in per_organisatie.items()
            for p in beheerders.get(org_id, [])
        ]
    )


def meld_email_gewijzigd(*, persoon: Persoon, oud_email: str, nieuw_email: str) -> Bericht | None:
    """R22: the person changed their own e-mail address (Mijn profiel). The OLD address is told, with the new one
    masked, so a change the person did not make themself is noticed where they still read their mail."""
    return bericht_plaatsen(
        soort=Soort.EMAIL_GEWIJZIGD,
        persoon=persoon,
        ontvanger=oud_email,
        context={"nieuw_email": maskeer_email(nieuw_email)},
    )

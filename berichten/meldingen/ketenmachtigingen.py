"""Messages of ketenmachtigingen (R42, R43): the intermediair informed, invitations, the quote for the module."""

import datetime as dt
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.utils import timezone

from berichten.models import Bericht, Soort
from berichten.outbox import Plaatsing, bericht_plaatsen, id_van, plaats_alle
from gebruikers.models import Koppeling, Middel, Persoon


def meld_intermediair_geinformeerd(
    *,
    email: str,
    verlener_kvk: str,
    verlener_naam: str,
    intermediair_kvk: str,
    intermediair_naam: str,
    diensten: Sequence[str],
    geregistreerd_bij: str,
    eindigt_op: dt.date | None = None,
    organisatie=None,
    taal: str = "nl",
) -> Bericht | None:
    """R42: what the intermediair must know: the issuer's KvK, its own KvK, the diensten, where registered."""
    return bericht_plaatsen(
        soort=Soort.INTERMEDIAIR_GEINFORMEERD,
        ontvanger=email,
        organisatie=organisatie,
        taal=taal,
        context={
            "verlener_kvk": verlener_kvk,
            "verlener_naam": verlener_naam,
            "intermediair_kvk": intermediair_kvk,
            "intermediair_naam": intermediair_naam,
            "diensten": list(diensten),
            "geregistreerd_bij": geregistreerd_bij,
            "eindigt_op": eindigt_op,
        },
    )


def meld_uitnodiging_ketenmachtiging(
    *,
    email: str,
    intermediair,
    link: str,
    geldig_tot: dt.date | dt.datetime,
    scope: str = "",
    relatie_naam: str = "",
    taal: str = "nl",
) -> Bericht | None:
    """R43: invite a relation to give a ketenmachtiging through the link (which carries the token)."""
    if isinstance(geldig_tot, dt.datetime):
        geldig_tot = timezone.localdate(geldig_tot) if timezone.is_aware(geldig_tot) else geldig_tot.date()
    return bericht_plaatsen(
        soort=Soort.UITNODIGING_KETENMACHTIGING,
        ontvanger=email,
        organisatie=intermediair,
        taal=taal,
        context={
            "intermediair": intermediair,
            "link": link,
            "geldig_tot": geldig_tot,
            "scope": scope,
            "relatie_naam": relatie_naam,
        },
    )


def meld_uitnodigingen_ketenmachtiging(
    *, intermediair, uitnodigingen: Sequence[dict], taal: str = "nl"
) -> list[Bericht]:
    """R43 for many relations at once (an uploaded file): one INSERT for all messages. Each dict holds the
    keywords of `meld_uitnodiging_ketenmachtiging` except `intermediair`."""
    plaatsingen = []
    for u in uitnodigingen:
        geldig_tot = u["geldig_tot"]
        if isinstance(geldig_tot, dt.datetime):
            geldig_tot = timezone.localdate(geldig_tot) if timezone.is_aware(geldig_tot) else geldig_tot.date()
        plaatsingen.append(
            Plaatsing(
                soort=Soort.UITNODIGING_KETENMACHTIGING,
                ontvanger=u["email"],
                taal=taal,
                organisatie_id=id_van(intermediair),
                context={
                    "intermediair": intermediair,
                    "link": u["link"],
                    "geldig_tot": geldig_tot,
                    "scope": u.get("scope", ""),
                    "relatie_naam": u.get("relatie_naam", ""),
                },
            )
        )
    return plaats_alle(plaatsingen)


def meld_offerte_ketenmodule(*, organisatie, nummer: str, bedrag_per_jaar, pdf: bytes) -> list[Bericht]:
    """R43: the quote for the module ketenmachtigingen, as PDF attachment, to each beheerder of the intermediair.

    The attachment is stored with each message in the outbox's transaction, so it goes out with it later."""
    beheerders = Persoon.objects.filter(
        middel__koppelingen__organisatie=organisatie,
        middel__koppelingen__rol=Koppeling.Rol.BEHEERDER,
        middel__koppelingen__status=Koppeling.Status.ACTIEF,
        middel__status=Middel.Status.ACTIEF,
    ).distinct()
    berichten = []
    for persoon in beheerders:
        bericht = bericht_plaatsen(
            soort=Soort.OFFERTE_KETENMODULE,
            persoon=persoon,
            organisatie=organisatie,
            context={"nummer": nummer, "bedrag_per_jaar": bedrag_per_jaar},
        )
        if bericht is not None:
            bericht.bijlage_naam = f"offerte-{nummer}.pdf"
            bericht.bijlage.save(bericht.bijlage_naam, ContentFile(pdf), save=False)
            bericht.save(update_fields=["bijlage", "bijlage_naam"])
            berichten.append(bericht)
    return berichten


# --- Ketenmachtigingen van relaties: the invitation page (K2) ---------------------------------------------


def meld_uitnodiging_code(
    *, email: str, intermediair, code: str, geldig_minuten: int, taal: str = "nl"
) -> Bericht | None:
    """R47: the code that confirms the answer comes from the invited address. Only this message holds it."""
    return bericht_plaatsen(
        soort=Soort.UITNODIGING_CODE,
        ontvanger=email,
        organisatie=intermediair,
        taal=taal,
        context={"intermediair": intermediair, "code": code, "geldig_minuten": geldig_minuten},
    )


def meld_uitnodiging_beantwoord(
    *, intermediair, relatie_naam: str, relatie_kvk: str, afgegeven: Sequence[str], geweigerd: bool, aan=None
) -> list[Bericht]:
    """R43, R47: tell the intermediair how its relation answered: to the beheerder who invited, or else to
    every beheerder of the intermediair."""
    if aan is not None:
        ontvangers = [aan]
    else:
        ontvangers = list(
            Persoon.objects.filter(
                middel__koppelingen__organisatie=intermediair,
                middel__koppelingen__rol=Koppeling.Rol.BEHEERDER,
                middel__koppelingen__status=Koppeling.Status.ACTIEF,
                middel__status=Middel.Status.ACTIEF,
            ).distinct()
        )
    context = {
        "intermediair": intermediair,
        "relatie_naam": relatie_naam,
        "relatie_kvk": relatie_kvk,
        "afgegeven": list(afgegeven),
        "geweigerd": geweigerd,
    }
    berichten = []
    for persoon in ontvangers:
        bericht = bericht_plaatsen(
            soort=Soort.UITNODIGING_BEANTWOORD, persoon=persoon, organisatie=intermediair, context=context
        )
        if bericht is not None:
            berichten.append(bericht)
    return berichten

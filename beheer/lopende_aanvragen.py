"""Reads for the Lopende aanvragen screen: the open aanvragen of the organisation and whether each may be withdrawn.

Apart from `beheer.selectors` because it needs the gebruikers rules, which themselves import `beheer.selectors`.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from gebruikers.models import Aanvraag, Koppeling
from gebruikers.rules import mag_aanvraag_intrekken
from ketenmachtigingen.models import KetenModule
from organisaties.models import Organisatie


def _wachtend_op(organisatie: Organisatie):
    return Koppeling.objects.filter(organisatie=organisatie, status=Koppeling.Status.AANGEVRAAGD).values("middel_id")


def aanvragen_qs(organisatie: Organisatie) -> QuerySet[Aanvraag]:
    """Every aanvraag of this organisation, the open ones asking for a koppeling to it (a new middel or a
    koppeling for several organisations at once; R13 keeps one open aanvraag per middel, so a middel waiting for
    a koppeling here points at exactly the aanvraag that asked for it), and the open requests for a new
    organisation made from here (§3.3)."""
    open_ = Aanvraag.Status.IN_BEHANDELING
    return Aanvraag.objects.filter(
        Q(organisatie=organisatie)
        | Q(status=open_, middel_id__in=_wachtend_op(organisatie))
        | Q(status=open_, soort=Aanvraag.Soort.NIEUWE_ORGANISATIE, gegevens__vanuit=organisatie.pk)
    )


def lopende_aanvragen_qs(organisatie: Organisatie) -> QuerySet[Aanvraag]:
    """The open aanvragen that concern this organisation (see `aanvragen_qs`)."""
    return aanvragen_qs(organisatie).filter(status=Aanvraag.Status.IN_BEHANDELING)


@dataclass(frozen=True)
class LopendeAanvraag:
    aanvraag: Aanvraag
    betreft: str  # the person the aanvraag is about, or the organisation (new organisation, ketenmodule)
    status: str
    mag_intrekken: bool


def lopende_aanvragen(*, organisatie: Organisatie, actor) -> list[LopendeAanvraag]:
    """The rows of the Lopende aanvragen screen, newest first, in one query whatever their number."""
    module_status = KetenModule.objects.filter(organisatie_id=OuterRef("organisatie_id")).values("status")[:1]
    rijen = (
        lopende_aanvragen_qs(organisatie)
        .select_related("organisatie", "middel__persoon", "aangevraagd_door")
        .annotate(ketenmodule_status=Subquery(module_status))
        .order_by("-aangevraagd_op", "-pk")
    )
    modulestatussen = dict(KetenModule.Status.choices)
    resultaat = []
    for a in rijen:
        is_module = a.soort == Aanvraag.Soort.KETENMODULE
        if is_module and a.ketenmodule_status:
            status = modulestatussen.get(a.ketenmodule_status, a.ketenmodule_status)
        else:
            status = a.get_status_display()
        resultaat.append(
            LopendeAanvraag(
                aanvraag=a,
                betreft=a.middel.persoon.naam if a.middel_id else a.organisatie.naam,
                status=str(status),
                mag_intrekken=mag_aanvraag_intrekken(actor, a, offerte_verstuurd=offerte_verstuurd(a)),
            )
        )
    return resultaat


def offerte_verstuurd(aanvraag: Aanvraag) -> bool:
    """A ketenmodule aanvraag that support has handled: the module is past Aangevraagd (a quote went out).
    Reads the `ketenmodule_status` annotation of `lopende_aanvragen`, or the database."""
    if aanvraag.soort != Aanvraag.Soort.KETENMODULE:
        return False
    status = getattr(aanvraag, "ketenmodule_status", None)
    if status is None:
        status = (
            KetenModule.objects.filter(organisatie_id=aanvraag.organisatie_id).values_list("status", flat=True).first()
        )
    return status not in (None, KetenModule.Status.AANGEVRAAGD)

"""The messages of ketenmachtigingen: telling the intermediair what was registered (R42) and the
invitation e-mails to relations (R43). Each is written to the outbox inside the change's transaction.
"""

from collections.abc import Sequence

from django.conf import settings

from berichten.services import (
    meld_intermediair_geinformeerd,
    meld_uitnodiging_ketenmachtiging,
    meld_uitnodigingen_ketenmachtiging,
)
from ketenmachtigingen.models import Uitnodiging
from ketenmachtigingen.services._common import KetenmachtigingAfgifte, VerstuurdeUitnodiging, scope_tekst
from organisaties.models import Organisatie


def intermediair_informeren(*, afgifte: KetenmachtigingAfgifte) -> None:
    """Tell the intermediair by e-mail what was registered for it (R42), when an address was given.

    Called inside the afgifte's transaction: the outbox row commits (and is then sent) with the change.
    """
    if not afgifte.intermediair_email:
        return
    meld_intermediair_geinformeerd(
        email=afgifte.intermediair_email,
        verlener_kvk=afgifte.verlener_kvk,
        verlener_naam=afgifte.verlener_naam,
        intermediair_kvk=afgifte.intermediair_kvk,
        intermediair_naam=afgifte.intermediair_naam,
        diensten=afgifte.diensten,
        geregistreerd_bij=afgifte.geregistreerd_bij,
        eindigt_op=afgifte.eindigt_op,
        organisatie=afgifte.ketenmachtigingen[0].verlener if afgifte.ketenmachtigingen else None,
    )


def uitnodiging_link(token: str) -> str:
    """The absolute link a relation opens to give the ketenmachtiging (R43); the token is its only key."""
    return f"{settings.SITE_URL.rstrip('/')}/uitnodiging/{token}/"


def uitnodiging_versturen(*, uitnodiging: Uitnodiging, token: str) -> None:
    """Send the invitation link to the relation (R43), inside the invitation's transaction (outbox)."""
    meld_uitnodiging_ketenmachtiging(
        email=uitnodiging.email,
        intermediair=uitnodiging.intermediair,
        link=uitnodiging_link(token),
        geldig_tot=uitnodiging.verloopt_op,
        scope=scope_tekst(uitnodiging),
        relatie_naam=uitnodiging.naam,
    )


def uitnodigingen_versturen(*, intermediair: Organisatie, verstuurd: Sequence[VerstuurdeUitnodiging]) -> None:
    """R43 in bulk: all invitation e-mails of one upload written to the outbox at once."""
    meld_uitnodigingen_ketenmachtiging(
        intermediair=intermediair,
        uitnodigingen=[
            {
                "email": v.uitnodiging.email,
                "link": uitnodiging_link(v.token),
                "geldig_tot": v.uitnodiging.verloopt_op,
                "scope": scope_tekst(v.uitnodiging),
                "relatie_naam": v.uitnodiging.naam,
            }
            for v in verstuurd
        ],
    )

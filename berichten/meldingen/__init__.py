"""The messages themselves, one function per message, one module per area; each places its message(s) through
the outbox (`berichten.outbox`) in the caller's transaction. A message that does not exist is an ImportError."""

from berichten.meldingen.gebruikers import (
    meld_aanvraag_afgekeurd,
    meld_aanvraag_ontvangen,
    meld_activatie,
    meld_email_gewijzigd,
    meld_middel_opgezegd,
    meld_nieuwe_activatie,
    meld_opzegging_niet_uitgevoerd,
    meld_telefoonnummer_gewijzigd,
    meld_type_gewijzigd,
)
from berichten.meldingen.groepen import meld_groep_machtigingen_gewijzigd
from berichten.meldingen.herinneringen import (
    eigen_middel_zonder_beheerder_waarschuwen,
    verlopende_machtigingen_herinneren,
)
from berichten.meldingen.instellingen import meld_facturatie_gewijzigd
from berichten.meldingen.ketenmachtigingen import (
    meld_intermediair_geinformeerd,
    meld_offerte_ketenmodule,
    meld_uitnodiging_beantwoord,
    meld_uitnodiging_code,
    meld_uitnodiging_ketenmachtiging,
    meld_uitnodigingen_ketenmachtiging,
)
from berichten.meldingen.machtigingen import (
    ACTIE_OMSCHRIJVING,
    meld_machtigingen_bulk,
    meld_machtigingen_gewijzigd,
    meld_machtigingen_gewijzigd_aan_personen,
    meld_machtigingen_gewijzigd_per_organisatie,
)

__all__ = [
    "ACTIE_OMSCHRIJVING",
    "eigen_middel_zonder_beheerder_waarschuwen",
    "meld_aanvraag_afgekeurd",
    "meld_aanvraag_ontvangen",
    "meld_activatie",
    "meld_email_gewijzigd",
    "meld_facturatie_gewijzigd",
    "meld_groep_machtigingen_gewijzigd",
    "meld_intermediair_geinformeerd",
    "meld_machtigingen_bulk",
    "meld_machtigingen_gewijzigd",
    "meld_machtigingen_gewijzigd_aan_personen",
    "meld_machtigingen_gewijzigd_per_organisatie",
    "meld_middel_opgezegd",
    "meld_nieuwe_activatie",
    "meld_offerte_ketenmodule",
    "meld_opzegging_niet_uitgevoerd",
    "meld_telefoonnummer_gewijzigd",
    "meld_type_gewijzigd",
    "meld_uitnodiging_beantwoord",
    "meld_uitnodiging_code",
    "meld_uitnodiging_ketenmachtiging",
    "meld_uitnodigingen_ketenmachtiging",
    "verlopende_machtigingen_herinneren",
]

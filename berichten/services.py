"""The public names of berichten in one place, for callers that import `berichten.services`.

The code lives in `berichten.outbox` (placing, the sweeper, resending), `berichten.bezorging` (delivery with
retries) and `berichten.meldingen` (the messages, one function each, one module per area).
"""

from berichten.bezorging import MAX_POGINGEN, Uitkomst, bericht_bezorgen, wachttijd
from berichten.meldingen import (
    ACTIE_OMSCHRIJVING,
    eigen_middel_zonder_beheerder_waarschuwen,
    meld_aanvraag_afgekeurd,
    meld_aanvraag_ontvangen,
    meld_activatie,
    meld_email_gewijzigd,
    meld_facturatie_gewijzigd,
    meld_groep_machtigingen_gewijzigd,
    meld_intermediair_geinformeerd,
    meld_machtigingen_bulk,
    meld_machtigingen_gewijzigd,
    meld_machtigingen_gewijzigd_aan_personen,
    meld_machtigingen_gewijzigd_per_organisatie,
    meld_middel_opgezegd,
    meld_nieuwe_activatie,
    meld_offerte_ketenmodule,
    meld_opzegging_niet_uitgevoerd,
    meld_telefoonnummer_gewijzigd,
    meld_type_gewijzigd,
    meld_uitnodiging_beantwoord,
    meld_uitnodiging_code,
    meld_uitnodiging_ketenmachtiging,
    meld_uitnodigingen_ketenmachtiging,
    verlopende_machtigingen_herinneren,
)
from berichten.outbox import (
    bericht_opnieuw_versturen,
    bericht_plaatsen,
    bericht_plaatsen_gerenderd,
    openstaande_berichten_aanbieden,
)

__all__ = [
    "ACTIE_OMSCHRIJVING",
    "MAX_POGINGEN",
    "Uitkomst",
    "bericht_bezorgen",
    "bericht_opnieuw_versturen",
    "bericht_plaatsen",
    "bericht_plaatsen_gerenderd",
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
    "openstaande_berichten_aanbieden",
    "verlopende_machtigingen_herinneren",
    "wachttijd",
]

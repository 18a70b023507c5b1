"""Reads for machtigingen: who holds what (R38), what ends soon (R34), who can be chosen (R31).

One module per concern, every name re-exported here (`from machtigingen.selectors import ...`):
`basis` (running machtigingen, scope keys, choices for adding) and `overzicht` (the rubriek Machtigingen and its
download). Every selector runs a fixed number of queries, whatever the number of rows.
"""

from machtigingen.selectors.basis import (
    BINNENKORT_MAANDEN,
    NIVEAU_TE_LAAG,
    NIVEAU_TE_LAAG_BULK,
    ONBEKEND_NIVEAU,
    ONBEKENDE_DIENST,
    GekozenScope,
    ScopeSleutel,
    eindigt_binnenkort,
    ids_van,
    kiesbare_algemene_bevoegdheden,
    kiesbare_diensten,
    kiesbare_middelen,
    lopende_machtigingen,
    machtiging_middel_gekoppeld,
    machtigingen_van_middel,
    middel_gekoppeld_aan,
    scopes_filter,
    scopes_oplossen,
    vereist_niveau,
)
from machtigingen.selectors.overzicht import (
    EXPORT_VELDEN,
    GroepHouder,
    OverzichtRegel,
    groep_houders,
    lopende_machtiging,
    machtiging_houders,
    machtigingen_export,
    machtigingen_export_via_groep,
    machtigingen_overzicht,
    overzicht_regel,
    zoekterm,
)

__all__ = [
    "BINNENKORT_MAANDEN",
    "EXPORT_VELDEN",
    "NIVEAU_TE_LAAG",
    "NIVEAU_TE_LAAG_BULK",
    "ONBEKENDE_DIENST",
    "ONBEKEND_NIVEAU",
    "GekozenScope",
    "GroepHouder",
    "OverzichtRegel",
    "ScopeSleutel",
    "eindigt_binnenkort",
    "groep_houders",
    "ids_van",
    "kiesbare_algemene_bevoegdheden",
    "kiesbare_diensten",
    "kiesbare_middelen",
    "lopende_machtiging",
    "lopende_machtigingen",
    "machtiging_houders",
    "machtiging_middel_gekoppeld",
    "machtigingen_export",
    "machtigingen_export_via_groep",
    "machtigingen_overzicht",
    "machtigingen_van_middel",
    "middel_gekoppeld_aan",
    "overzicht_regel",
    "scopes_filter",
    "scopes_oplossen",
    "vereist_niveau",
    "zoekterm",
]

"""The domain layer of facturatie: costs from the tariff table (`kosten`) and an organisation's invoicing data
(`gegevens`: bank account, betaalwijze, facturatiewijze, invoice e-mail; R52)."""

from facturatie.services.gegevens import (
    INCASSANT,
    INCASSANT_ID,
    factuur_per_email,
    maak_machtigingskenmerk,
    rekening_wijzigen,
    toeslag_per_factuur,
)
from facturatie.services.kosten import (
    BELASTINGDIENST,
    CENT,
    NUL,
    REGULIER,
    Kosten,
    KostenRegel,
    bereken_credit,
    bereken_kosten,
    middel_tariefcode,
    tarief,
    vanaf_per_jaar,
)

__all__ = [
    "BELASTINGDIENST",
    "CENT",
    "INCASSANT",
    "INCASSANT_ID",
    "NUL",
    "REGULIER",
    "Kosten",
    "KostenRegel",
    "bereken_credit",
    "bereken_kosten",
    "factuur_per_email",
    "maak_machtigingskenmerk",
    "middel_tariefcode",
    "rekening_wijzigen",
    "tarief",
    "toeslag_per_factuur",
    "vanaf_per_jaar",
]

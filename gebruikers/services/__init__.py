"""The writes of the rubriek Gebruikers (R5–R23), one module per concern; import them from here:
`from gebruikers import services; services.middel_aanvragen(...)`.

Every refusal raises `DomainError` with the manual's Dutch wording where it has one; every change is audited (R74).
"""

from gebruikers.services._common import BEHEERDER, GEBRUIKER
from gebruikers.services.aanvraag_intrekken import aanvraag_intrekken
from gebruikers.services.aanvragen import middel_aanvragen, middel_koppelen, nieuwe_uitnodiging_versturen
from gebruikers.services.behandeling import ACTIVATIE_TERMIJN_DAGEN, aanvraag_afkeuren, aanvraag_goedkeuren
from gebruikers.services.contact import persoon_wijzig_eigen_email, persoon_wijzig_email, persoon_wijzig_mobiel
from gebruikers.services.jobs import activaties_verlopen, opzeggingen_uitvoeren
from gebruikers.services.opzeggen import middel_opzeggen
from gebruikers.services.rollen import koppeling_wijzig_rol
from gebruikers.services.type import TypeWijzigingKosten, bereken_type_wijziging, middel_wijzig_type
from gebruikers.services.upgraden import middel_upgraden
from gebruikers.services.validatie import (
    MAX_UPLOAD_BYTES,
    MIN_GELDIG_MAANDEN,
    UPLOAD_EXTENSIES,
    IdDocument,
    Identificatieadres,
    PersoonGegevens,
    normaliseer_mobiel,
    upload_bestandstype,
    valideer_id_document,
    valideer_identificatieadres,
    valideer_nieuwe_gebruiker,
    valideer_persoon_gegevens,
    valideer_tweede_factor,
    valideer_upload,
)

__all__ = [
    "ACTIVATIE_TERMIJN_DAGEN",
    "BEHEERDER",
    "GEBRUIKER",
    "IdDocument",
    "Identificatieadres",
    "MAX_UPLOAD_BYTES",
    "MIN_GELDIG_MAANDEN",
    "PersoonGegevens",
    "TypeWijzigingKosten",
    "UPLOAD_EXTENSIES",
    "aanvraag_afkeuren",
    "aanvraag_intrekken",
    "aanvraag_goedkeuren",
    "activaties_verlopen",
    "bereken_type_wijziging",
    "koppeling_wijzig_rol",
    "middel_aanvragen",
    "middel_koppelen",
    "middel_opzeggen",
    "middel_upgraden",
    "middel_wijzig_type",
    "nieuwe_uitnodiging_versturen",
    "normaliseer_mobiel",
    "opzeggingen_uitvoeren",
    "persoon_wijzig_eigen_email",
    "persoon_wijzig_email",
    "persoon_wijzig_mobiel",
    "upload_bestandstype",
    "valideer_id_document",
    "valideer_identificatieadres",
    "valideer_nieuwe_gebruiker",
    "valideer_persoon_gegevens",
    "valideer_tweede_factor",
    "valideer_upload",
]

"""What the Machtigingenregister answers (R71, R72): a `Beslissing` with the `Pad` that permits or the
`Reden`s why not, each reason a stable code with its Dutch text, and the AuthZEN shape of the answer;
and the `Vraag` a batch asks. The decision itself is in `machtigingen.register_feiten`."""

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class PadSoort(StrEnum):
    DIRECT = "direct"
    ALGEMENE_BEVOEGDHEID = "algemene_bevoegdheid"
    DIENSTVERLENERSMACHTIGING = "dienstverlenersmachtiging"
    KETENMACHTIGING = "ketenmachtiging"
    # R24: a machtiging the middel holds as a member of a group of the organisation (`Pad.scope` says its kind).
    GROEP = "groep"


class RedenCode(StrEnum):
    MIDDEL_ONBEKEND = "middel_onbekend"
    MIDDEL_NIET_ACTIEF = "middel_niet_actief"
    DIENST_ONBEKEND = "dienst_onbekend"
    DIENST_INGETROKKEN = "dienst_ingetrokken"
    NIVEAU_TE_LAAG = "niveau_te_laag"
    BELASTINGDIENSTMIDDEL_ANDERE_DIENSTVERLENER = "belastingdienstmiddel_andere_dienstverlener"
    GEEN_KOPPELING = "geen_koppeling"
    KOPPELING_NIET_ACTIEF = "koppeling_niet_actief"
    GEEN_MACHTIGING = "geen_machtiging"
    MACHTIGING_NOG_NIET_GELDIG = "machtiging_nog_niet_geldig"
    MACHTIGING_VERLOPEN = "machtiging_verlopen"
    MACHTIGING_INGETROKKEN = "machtiging_ingetrokken"
    KETEN_DEKT_DIENST_NIET = "ketenmachtiging_dekt_dienst_niet"
    KETEN_NOG_NIET_GELDIG = "ketenmachtiging_nog_niet_geldig"
    KETEN_VERLOPEN = "ketenmachtiging_verlopen"
    KETEN_INGETROKKEN = "ketenmachtiging_ingetrokken"
    KETEN_GEEN_INTERMEDIATIE = "dienst_niet_via_intermediair"
    KETEN_MIDDEL_NIET_GEKOPPELD = "ketenmachtiging_middel_niet_gekoppeld"
    KETEN_GEEN_KOPPELING_INTERMEDIAIR = "ketenmachtiging_geen_koppeling_intermediair"
    KETEN_MIDDEL_NIET_REGULIER = "ketenmachtiging_middel_niet_regulier"
    KETEN_NIVEAU_TE_LAAG = "ketenmachtiging_niveau_te_laag"
    KETEN_INTERMEDIAIR_NIET_GOEDGEKEURD = "intermediair_niet_goedgekeurd"


REDEN_TEKSTEN: dict[RedenCode, Promise] = {
    RedenCode.MIDDEL_ONBEKEND: _("Deze persoon heeft geen eHerkenningsmiddel."),
    RedenCode.MIDDEL_NIET_ACTIEF: _("Het eHerkenningsmiddel is niet actief."),
    RedenCode.DIENST_ONBEKEND: _("Deze dienst staat niet in de dienstencatalogus."),
    RedenCode.DIENST_INGETROKKEN: _("Deze dienst is uit de dienstencatalogus ingetrokken."),
    RedenCode.NIVEAU_TE_LAAG: _("Het niveau van het eHerkenningsmiddel is lager dan de dienst vereist."),
    RedenCode.BELASTINGDIENSTMIDDEL_ANDERE_DIENSTVERLENER: _(
        "Met een EH3 Belastingdienstmiddel logt u alleen in bij diensten van de Belastingdienst."
    ),
    RedenCode.GEEN_KOPPELING: _("Het eHerkenningsmiddel is niet gekoppeld aan deze organisatie."),
    RedenCode.KOPPELING_NIET_ACTIEF: _(
        "De koppeling van het eHerkenningsmiddel aan deze organisatie is beëindigd of nog niet actief."
    ),
    RedenCode.GEEN_MACHTIGING: _("Er is geen machtiging voor deze dienst."),
    RedenCode.MACHTIGING_NOG_NIET_GELDIG: _("De machtiging voor deze dienst is nog niet ingegaan."),
    RedenCode.MACHTIGING_VERLOPEN: _("De machtiging voor deze dienst is verlopen."),
    RedenCode.MACHTIGING_INGETROKKEN: _("De machtiging voor deze dienst is ingetrokken."),
    RedenCode.KETEN_DEKT_DIENST_NIET: _("De ketenmachtiging geldt niet voor deze dienst."),
    RedenCode.KETEN_NOG_NIET_GELDIG: _("De ketenmachtiging is nog niet ingegaan."),
    RedenCode.KETEN_VERLOPEN: _("De ketenmachtiging is verlopen."),
    RedenCode.KETEN_INGETROKKEN: _("De ketenmachtiging is ingetrokken."),
    RedenCode.KETEN_GEEN_INTERMEDIATIE: _("Deze dienst kan niet via een intermediair worden gebruikt."),
    RedenCode.KETEN_MIDDEL_NIET_GEKOPPELD: _(
        "Het eHerkenningsmiddel is door de beheerder van de intermediair niet aan de ketenmachtiging gekoppeld."
    ),
    RedenCode.KETEN_GEEN_KOPPELING_INTERMEDIAIR: _(
        "Het eHerkenningsmiddel heeft geen actieve koppeling bij de intermediair."
    ),
    RedenCode.KETEN_MIDDEL_NIET_REGULIER: _(
        "Voor ketenmachtigingen is een regulier eHerkenningsmiddel nodig, geen Belastingdienstmiddel."
    ),
    RedenCode.KETEN_NIVEAU_TE_LAAG: _("Voor ketenmachtigingen is een eHerkenningsmiddel op niveau EH3 of hoger nodig."),
    RedenCode.KETEN_INTERMEDIAIR_NIET_GOEDGEKEURD: _(
        "De dienstverlener heeft deze intermediair niet goedgekeurd voor het gebruik van deze dienst via een "
        "ketenmachtiging."
    ),
}


@dataclass(frozen=True)
class Reden:
    code: RedenCode
    tekst: Promise | str

    @classmethod
    def van(cls, code: RedenCode) -> "Reden":
        return cls(code=code, tekst=REDEN_TEKSTEN[code])


@dataclass(frozen=True)
class Pad:
    """How the register permits: which machtiging or ketenmachtiging, with which scope, valid until when."""

    soort: PadSoort
    scope: str
    eindigt_op: dt.date
    machtiging_id: int | None = None
    ketenmachtiging_id: int | None = None
    intermediair_id: int | None = None
    groep_id: int | None = None
    groep_machtiging_id: int | None = None


@dataclass(frozen=True)
class Beslissing:
    toegestaan: bool
    pad: Pad | None
    redenen: tuple[Reden, ...]
    middel_id: int | None
    organisatie_id: int
    dienst_id: int | None
    service_uuid: uuid.UUID | None
    dag: dt.date

    def as_authzen(self) -> dict:
        """The decision in the shape of an OpenID AuthZEN evaluation response."""
        context: dict = {"dag": self.dag.isoformat()}
        if self.pad is not None:
            context["pad"] = {
                "soort": str(self.pad.soort),
                "scope": self.pad.scope,
                "eindigt_op": self.pad.eindigt_op.isoformat(),
                "machtiging_id": self.pad.machtiging_id,
                "ketenmachtiging_id": self.pad.ketenmachtiging_id,
                "intermediair_id": self.pad.intermediair_id,
                "groep_id": self.pad.groep_id,
                "groep_machtiging_id": self.pad.groep_machtiging_id,
            }
        if self.redenen:
            context["reason_user"] = [{"code": str(r.code), "nl": str(r.tekst)} for r in self.redenen]
        return {"decision": self.toegestaan, "context": context}


@dataclass(frozen=True)
class Vraag:
    """One question for the batch: a middel (or the persoon holding it), the organisatie, the dienst."""

    organisatie: object
    dienst: object
    middel: object = None
    persoon: object = None

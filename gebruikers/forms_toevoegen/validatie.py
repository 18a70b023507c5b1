"""The checks of "+ Voeg toe": Django's checks per field, then the domain's `valideer_*` checks group by group, so
the beheerder sees every problem at once; a `DomainError.code` is shown next to the field it is about.

The rules themselves stay in `gebruikers.services` (R14–R16, R8, R23); this mixin only calls them.
"""

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import services
from gebruikers.models import IdDocumentType, Koppeling, Middel

EEN_BESTAND = "een"
TWEE_BESTANDEN = "twee"

# The field a refusal of the domain layer belongs to, by `DomainError.code`. Codes not listed are shown above
# the form (for example a missing tariff or a register that cannot be reached).
VELD_VOOR_CODE = {
    "niveau": "niveau",
    "niveau_te_hoog": "niveau",
    "R10": "niveau",
    "rol": "rol",
    "belastingdienst_beheerder": "rol",
    "R6": "rol",
    "type": "type",
    "een_per_kvk": "type",
    "wettelijk_vertegenwoordiger": "type",
    "R23": "type",
    "voornamen": "voornamen",
    "achternaam": "achternaam",
    "geboortedatum": "geboortedatum",
    "email": "email",
    "document_type": "document_type",
    "documentnummer": "documentnummer",
    "geslacht": "geslacht",
    "geldigheidsdatum": "geldigheidsdatum",
    "adres": "postcode",
    "land": "land",
    "postcode": "postcode",
    "huisnummer": "huisnummer",
    "straat": "straat",
    "plaats": "plaats",
    "tweede_factor": "tweede_factor",
    "R16": "tweede_factor",
    "mobiel": "mobiel",
    "kosten_niet_geaccepteerd": "kosten_geaccepteerd",
}
PERSOON_VELDEN = ("voornamen", "tussenvoegsel", "achternaam", "geboortedatum", "email")
DOCUMENT_VELDEN = ("document_type", "documentnummer", "geslacht", "geldigheidsdatum")
UPLOAD_VELDEN = ("document", "voorkant", "achterkant")
ADRES_VELDEN = ("land", "postcode", "huisnummer", "toevoeging", "straat", "plaats")

_UPLOAD_CODES = ("upload_type", "upload_grootte", "upload_inhoud", "upload")
_ONTBREKEND_BESTAND = {
    "document": _("Upload een kopie van het identiteitsdocument."),
    "voorkant": _("Upload de voorkant van het document."),
    "achterkant": _(
        "Upload ook de achterkant: van een identiteitskaart, rijbewijs of NL vreemdelingendocument moeten zowel "
        "de voorzijde als de achterzijde worden aangeleverd."
    ),
}


class ToevoegenValidatie:
    """Mixed into `ToevoegenForm`: its `clean()` and what the valid form hands to `middel_aanvragen`."""

    # --- validation: Django's checks per field, then the domain's checks per group ---------------------------

    def clean(self):
        data = super().clean()
        data["type"] = self._type(data.get("niveau"), data.get("type"))
        if data["type"] == Middel.Type.BELASTINGDIENST:
            # R8: a Belastingdienstmiddel is only ever used by a gebruiker; the screen offers no other role.
            data["rol"] = Koppeling.Rol.GEBRUIKER
        if data.get("alles_selecteren"):
            data["organisaties"] = [str(o.pk) for o in self.andere_organisaties]
        self._controleer_persoon(data)
        self._controleer_document(data)
        self._controleer_adres(data)
        self._controleer_tweede_factor(data)
        return data

    def _heeft_fouten(self, velden) -> bool:
        return any(v in self.errors for v in velden)

    def _controleer(self, functie, *args, velden: dict | None = None, **kwargs):
        try:
            return functie(*args, **kwargs)
        except DomainError as fout:
            self.toon_domeinfout(fout, velden=velden)
            return None

    def toon_domeinfout(self, fout: DomainError, *, velden: dict | None = None) -> None:
        """Show a refusal of the domain layer next to the field it is about, or above the form."""
        naam = (velden or {}).get(fout.code) or self._upload_veld(fout.code) or VELD_VOOR_CODE.get(fout.code)
        if naam and naam in self.errors:
            return  # that field already says what is wrong
        self.add_error(naam if naam in self.fields else None, str(fout))
        self._koppel_upload_hulp()

    def _upload_veld(self, code: str) -> str | None:
        twee = self._twee_bestanden()
        if code == "upload":
            return "voorkant" if twee else "document"
        if code == "achterzijde":
            return "achterkant" if twee else "document"
        return None

    def _twee_bestanden(self) -> bool:
        soort = self.cleaned_data.get("document_type") if hasattr(self, "cleaned_data") else None
        return bool(
            soort and IdDocumentType(soort).tweezijdig and self.cleaned_data.get("uploadwijze") == TWEE_BESTANDEN
        )

    def persoon_gegevens(self) -> services.PersoonGegevens:
        d = self.cleaned_data
        return services.PersoonGegevens(
            voornamen=d["voornamen"],
            tussenvoegsel=d.get("tussenvoegsel", ""),
            achternaam=d["achternaam"],
            geboortedatum=d["geboortedatum"],
            email=d["email"],
        )

    def _controleer_persoon(self, data):
        if not self._heeft_fouten(PERSOON_VELDEN):
            self._controleer(services.valideer_persoon_gegevens, self.persoon_gegevens())

    def _bestanden(self) -> tuple:
        """(voorzijde, achterzijde) as chosen: one file, or front and back in two files."""
        d = self.cleaned_data
        if self._twee_bestanden():
            return d.get("voorkant"), d.get("achterkant")
        return d.get("document"), None

    def id_document(self) -> services.IdDocument:
        d = self.cleaned_data
        voorzijde, achterzijde = self._bestanden()
        tweezijdig = IdDocumentType(d["document_type"]).tweezijdig
        return services.IdDocument(
            type=d["document_type"],
            documentnummer=d["documentnummer"],
            geslacht=d["geslacht"],
            geldigheidsdatum=d["geldigheidsdatum"],
            voorzijde=voorzijde,
            achterzijde=achterzijde,
            voor_en_achter_in_een_bestand=tweezijdig and not self._twee_bestanden(),
        )

    def _controleer_document(self, data):
        if self._heeft_fouten(("document_type",)):
            in_gebruik = UPLOAD_VELDEN
        elif self._twee_bestanden():
            in_gebruik = ("voorkant", "achterkant")
        else:
            in_gebruik = ("document",)
        # R14: each chosen file on its own, so the error stands next to the file it is about; a missing file is
        # named at once too, also while other ID data is still incomplete.
        for naam in in_gebruik:
            if naam in self.errors:
                continue
            if data.get(naam) is not None:
                self._controleer(services.valideer_upload, data[naam], velden={c: naam for c in _UPLOAD_CODES})
            elif in_gebruik != UPLOAD_VELDEN:
                self.add_error(naam, _ONTBREKEND_BESTAND[naam])
        if not self._heeft_fouten(DOCUMENT_VELDEN + UPLOAD_VELDEN):
            self._controleer(services.valideer_id_document, self.id_document())

    def identificatieadres(self) -> services.Identificatieadres | None:
        d = self.cleaned_data
        if (d.get("niveau") or 0) < Niveau.EH3:
            return None  # EH2+: the activation letter goes to the company address (R15)
        return services.Identificatieadres(
            land=d.get("land", ""),
            postcode=d.get("postcode", ""),
            huisnummer=d.get("huisnummer", ""),
            toevoeging=d.get("toevoeging", ""),
            straat=d.get("straat", ""),
            plaats=d.get("plaats", ""),
        )

    def _controleer_adres(self, data):
        if "niveau" in self.errors or (data.get("niveau") or 0) < Niveau.EH3:
            return
        leeg = [n for n in ("land", "postcode", "huisnummer", "straat", "plaats") if not (data.get(n) or "").strip()]
        for naam in leeg:
            self.add_error(naam, self.fields[naam].error_messages["required"])
        if not leeg and not self._heeft_fouten(ADRES_VELDEN):
            self._controleer(services.valideer_identificatieadres, self.identificatieadres(), niveau=data["niveau"])

    def _controleer_tweede_factor(self, data):
        if self._heeft_fouten(("tweede_factor", "mobiel")):
            return
        if data.get("tweede_factor") == Middel.TweedeFactor.SMS and not (data.get("mobiel") or "").strip():
            self.add_error("mobiel", self.fields["mobiel"].error_messages["required"])
            return
        niveau = data.get("niveau") or Niveau.EH2_PLUS
        self._controleer(
            services.valideer_tweede_factor,
            niveau=niveau,
            tweede_factor=data["tweede_factor"],
            mobiel=data.get("mobiel"),
        )

    # --- what goes to middel_aanvragen -------------------------------------------------------------------------

    def aanvraag_kwargs(self) -> dict:
        d = self.cleaned_data
        gekozen = set(d.get("organisaties") or [])
        return {
            "niveau": d["niveau"],
            "rol": d["rol"],
            "type": d["type"],
            "persoon_gegevens": self.persoon_gegevens(),
            "id_document": self.id_document(),
            "tweede_factor": d["tweede_factor"],
            "mobiel": d.get("mobiel", ""),
            "identificatieadres": self.identificatieadres(),
            "extra_organisaties": [o for o in self.andere_organisaties if str(o.pk) in gekozen],
            "abonnement_jaren": 3 if d.get("drie_jaar") else 1,
            "kosten_geaccepteerd": bool(d.get("kosten_geaccepteerd")),
        }

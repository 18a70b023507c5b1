"""Overige wijzigingen (§6.2, R54): the changes that go by wijzigingsformulier, each a PDF filled in with what the
Beheermodule already knows (the organisation, the beheerder and, for forms about a person, the chosen person of the
organisation), with empty fields and a signature block for the rest.

The registry FORMULIEREN is the one list: the page lists it, the download looks a form up in it by its slug.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.dates import vandaag
from common.pdf import render_pdf
from gebruikers.models import Koppeling, Persoon
from gebruikers.selectors import VERBORGEN_STATUSSEN
from organisaties.models import Organisatie


class Betreft(StrEnum):
    ORGANISATIE = "organisatie"  # about the organisation only
    PERSOON = "persoon"  # about a person of the organisation, chosen on the page
    ZELF = "zelf"  # about the beheerder who downloads it (the own mobile number, §3.7.1)


@dataclass(frozen=True)
class Formulier:
    slug: str
    titel: Promise
    uitleg: Promise
    betreft: Betreft
    velden: tuple[Promise, ...]  # the empty fields the signer fills in
    bijlagen: tuple[Promise, ...] = ()
    ondertekenaars: tuple[Promise, ...] = (_("Beheerder"),)

    @property
    def kies_persoon(self) -> bool:
        return self.betreft == Betreft.PERSOON


# In the order of §6.2.
FORMULIEREN = (
    Formulier(
        slug="activeringsbrief",
        titel=_("Aanvragen activeringsbrief"),
        uitleg=_("Een nieuwe activeringsbrief voor het eHerkenningsmiddel van de gekozen persoon."),
        betreft=Betreft.PERSOON,
        velden=(
            _("Reden van de aanvraag"),
            _("Afleveradres van de brief, als dat afwijkt van het bedrijfsadres"),
        ),
    ),
    Formulier(
        slug="otp-device",
        titel=_("Aanvragen OTP device"),
        uitleg=_("Een (nieuw) OTP device als tweede factor voor de gekozen persoon."),
        betreft=Betreft.PERSOON,
        velden=(
            _("Reden (eerste OTP device, verloren, defect)"),
            _("Serienummer van het huidige OTP device, indien bekend"),
            _("Afleveradres, als dat afwijkt van het bedrijfsadres"),
        ),
    ),
    Formulier(
        slug="overige-wijzigingen-persoon",
        titel=_("Overige wijzigingen beheerder / gebruiker"),
        uitleg=_("Een wijziging in de gegevens van de gekozen persoon die niet in de Beheermodule kan."),
        betreft=Betreft.PERSOON,
        velden=(_("Gegeven dat wijzigt"), _("Huidige waarde"), _("Nieuwe waarde"), _("Toelichting")),
        bijlagen=(_("Kopie van een geldig identiteitsbewijs, als de naam of geboortedatum wijzigt"),),
    ),
    Formulier(
        slug="bsn-eenmanszaak",
        titel=_("Registreren BSN nummer van eigenaar bij eenmanszaak"),
        uitleg=_("Het BSN van de eigenaar van de eenmanszaak koppelen aan zijn of haar eHerkenningsmiddel."),
        betreft=Betreft.PERSOON,
        velden=(_("BSN van de eigenaar"),),
        bijlagen=(_("Kopie van een geldig identiteitsbewijs van de eigenaar (BSN mag zichtbaar zijn)"),),
        ondertekenaars=(_("Beheerder"), _("Eigenaar van de eenmanszaak")),
    ),
    Formulier(
        slug="bedrijfsgegevens",
        titel=_("Wijziging bedrijfsgegevens"),
        uitleg=_("Een nieuwe bedrijfsnaam, een nieuw adres of een nieuw telefoonnummer van de organisatie."),
        betreft=Betreft.ORGANISATIE,
        velden=(
            _("Nieuwe bedrijfsnaam"),
            _("Nieuw adres (straat, huisnummer, postcode, plaats)"),
            _("Nieuw telefoonnummer"),
            _("Ingangsdatum"),
        ),
        bijlagen=(_("Recent uittreksel uit het Handelsregister van de KvK"),),
    ),
    Formulier(
        slug="kvk-nummer",
        titel=_("Wijziging KvK nummer"),
        uitleg=_("Een nieuw KvK-nummer, bijvoorbeeld na een wijziging van de rechtsvorm."),
        betreft=Betreft.ORGANISATIE,
        velden=(_("Nieuw KvK-nummer"), _("Reden van de wijziging"), _("Ingangsdatum")),
        bijlagen=(_("Recent uittreksel uit het Handelsregister van de KvK"),),
    ),
    Formulier(
        slug="vestigingsnummer",
        titel=_("Omzetten vestigingsnummer naar alleen 8 cijferig KvK nummer"),
        uitleg=_(
            "De eHerkenning van deze vestiging voortaan op het 8-cijferige KvK-nummer, zonder vestigingsnummer "
            "(nodig voor onder meer UWV en Belastingdienst)."
        ),
        betreft=Betreft.ORGANISATIE,
        velden=(_("Toelichting"),),
    ),
    Formulier(
        slug="beheermodule-ev-mv",
        titel=_("Wijzigen Beheermodule EV-MV"),
        uitleg=_("Een wijziging in de inrichting van de Beheermodule EV-MV van de organisatie."),
        betreft=Betreft.ORGANISATIE,
        velden=(_("Gewenste wijziging"), _("Toelichting")),
    ),
    Formulier(
        slug="eigen-mobiel-nummer",
        titel=_("Wijziging eigen mobiele nummer"),
        uitleg=_("Uw eigen mobiele nummer voor de tweede factor SMS; dat kan niet in de Beheermodule zelf."),
        betreft=Betreft.ZELF,
        velden=(_("Nieuw mobiel nummer"),),
        bijlagen=(_("Kopie van een geldig identiteitsbewijs"),),
    ),
)
PER_SLUG = {f.slug: f for f in FORMULIEREN}


def personen_van(organisatie: Organisatie) -> QuerySet[Persoon]:
    """The people a form can be about: everyone with a running koppeling at the organisation, whose middel has
    neither been rejected nor ended; by name."""
    lopend = Koppeling.objects.lopend().filter(organisatie=organisatie).exclude(middel__status__in=VERBORGEN_STATUSSEN)
    return (
        Persoon.objects.filter(pk__in=lopend.values("middel__persoon_id"))
        .select_related("middel")
        .order_by("achternaam", "voornamen", "pk")
    )


def formulier_pdf(
    *, formulier: Formulier, organisatie: Organisatie, beheerder: Persoon, persoon: Persoon | None
) -> bytes:
    """The form as PDF/UA, filled in with what is known."""
    return render_pdf(
        "beheer/wijzigingsformulier.pdf.html",
        {
            "formulier": formulier,
            "organisatie": organisatie,
            "beheerder": beheerder,
            "persoon": persoon,
            "middel": getattr(persoon, "middel", None) if persoon else None,
            "datum": vandaag(),
        },
    )


def bestandsnaam(formulier: Formulier, organisatie: Organisatie) -> str:
    return f"wijzigingsformulier-{formulier.slug}-{organisatie.kvk_nummer}.pdf"

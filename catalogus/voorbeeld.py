"""The sample Dienstencatalogus shipped in `catalogus/data/`, as data.

The XML files are written from these specs (`python -m catalogus.voorbeeld` rewrites them; a test checks
they match). The ServiceUUIDs are fixed so demo data and tests can refer to diensten by name below. The
dienstverleners and diensten are those named in the manual and on eherkenning.nl; the OINs have the right
shape (00000001 + RSIN + 000, or 00000002/00000004 for other registers) but are illustrative.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from catalogus.generate import KVK_NR, RSIN, DienstSpec, DienstverlenerSpec, catalogus_xml
from catalogus.xmlnames import NS_1_11, NS_1_13
from common.niveau import Niveau

DATA = Path(__file__).resolve().parent / "data"
BESTAND = DATA / "dienstencatalogus.xml"
BESTAND_1_11 = DATA / "dienstencatalogus-1.11-voorbeeld.xml"

U = uuid.UUID
GEEN, ALGEMEEN, ALLEEN_DV, GOEDKEURING = (
    "noIntermediation",
    "generalAvailable",
    "serviceProviderOnly",
    "requiresApproval",
)

# --- ServiceUUIDs the demo data refers to ----------------------------------------------------------------
AANGIFTE_OMZETBELASTING = U("3dae42aa-7135-4be1-9aa8-4887999559d6")
LOONHEFFINGEN = U("15d14565-4969-4868-9643-3f556abb6683")
VENNOOTSCHAPSBELASTING = U("ee4c354a-d218-49a8-b888-736953f69e53")
INKOMSTENBELASTING_ONDERNEMERS = U("a8c741de-7b91-4744-91bf-71e7f33792b3")
MIJN_BELASTINGDIENST_ZAKELIJK = U("7b48ced7-d1c4-4629-bcb0-2866a53c1d47")
DIVIDENDBELASTING = U("ecd6c063-8732-4dbd-9a45-a6414c0b053f")
OPGAAF_ICP = U("878984fe-6a9d-47f2-b1f5-c72da79a2e10")
AANGIFTE_BPM = U("ec37b019-d218-441b-a4ad-6c5a589f9f95")
BELASTINGDIENST_TESTDIENST = U("135f73ac-ebb5-4c73-9a6a-06186b445f89")
MIJN_DOUANE = U("cb4fece0-36fb-46b9-8075-832bcad31a2a")
DOUANE_AANGIFTE_INVOER = U("fed456cb-d557-4149-ad39-222f8daac7c7")
DOUANE_VERGUNNINGEN = U("6c22aad5-f072-43cf-9ea5-aa8a02609240")
UWV_WERKGEVERSPORTAAL = U("638a7cae-b884-49d3-bb49-1b69ce705e02")
UWV_ZIEK_HERSTELMELDINGEN = U("89087167-bc94-4ee9-a605-52aa30062dce")
UWV_EIGENRISICODRAGER = U("78fc537e-69e6-47b2-907c-a51495eece21")
KVK_DEPONEREN_JAARREKENING = U("20e1ebe0-a5d7-47d7-8724-da3c3df8e8cd")
KVK_WIJZIGING_DOORGEVEN = U("06550fe3-8ba2-4959-bef7-a0cad786467a")
KVK_UBO_REGISTRATIE = U("2f1be4c2-b1fb-4d20-9095-d9dd61fbc2ed")
KVK_INZAGE_HANDELSREGISTER = U("be518e5f-fd92-4922-ba14-7150cc4a3a05")
MIJN_RVO = U("3548f073-8ad8-4eb5-ab13-c2c6fa8d168e")
TENDERNED_AUTHENTICATIE = U("05d3d092-7266-4a97-ba84-c43f96d2996f")
TENDERNED_INSCHRIJVEN = U("bb77ddb0-7da1-4238-9b75-9e6c7fde9e17")
RVO_GECOMBINEERDE_OPGAVE = U("b15c2166-d84f-41f1-91fc-1d0882bac5b5")
DUO_FACET_PORTAAL = U("63ed5909-3ff4-4344-9293-3bc8550eba9a")
ASR_ZAKELIJKE_VERZEKERINGEN = U("d368afd6-af03-46d2-bac0-f9915ee5ad86")
ASR_SCHADE_MELDEN = U("0ab0668a-3d0c-40df-8a0a-85914f1151e9")
MIJN_OVERHEID_ONDERNEMERS = U("b63349ac-ac64-4b26-aaaf-dbf457ec0a88")
LANDELIJK_ASBESTVOLGSYSTEEM = U("e148026b-5460-4db5-9a46-9aa8877bfc7c")
AA_EN_HUNZE_BRP_UITTREKSEL = U("02469e19-4e57-4f2c-ba62-b139c39bb425")
AA_EN_HUNZE_BELASTINGEN = U("4b61e77f-e110-4353-bf10-3de30a407669")
BAARN_ZAAKSYSTEEM = U("a9fb7905-13a3-418f-9367-79c623798001")
BAARN_OMGEVINGSVERGUNNING = U("923a5ef2-8b6d-400a-96f3-8c6b02fabd09")
BAARLE_NASSAU_SUBSIDIEPORTAAL = U("efa37165-aaab-4836-9f81-2d24f4bdab42")
HAARLEM_TIJDELIJKE_PARKEERVERGUNNING = U("b6ea6aff-6223-4a04-933a-c0a44e91970b")
HAARLEM_BELASTINGEN = U("8b82eaf1-0fb1-416a-b887-613403b6dc2e")
HAARLEM_EVENEMENTENVERGUNNING = U("dbe4057b-57ad-4641-a6ad-7ea021719755")
HAARLEM_NIEUWSBRIEF_ONDERNEMERS = U("d47be347-9cc3-403d-a516-e1f34a6e2ea1")
CIBG_OPIUMWETONTHEFFING = U("6aaf5f3a-a932-4a74-a738-7535b6e30ed3")
CIBG_FARMATEC = U("2e17c99b-fbfd-4686-a3f7-0a4aca0d7cf9")
KADASTER_KIK_INZAGE = U("f804affb-ee64-4a81-8559-ef5045e21b27")
# Only in the older 1.11 edition: withdrawn when the current edition is imported over it.
UWV_DIGITAAL_KLANTDOSSIER = U("3e7b826a-c583-4585-b771-72f66c1c2c6f")

BELASTINGDIENST_OIN = "00000001003214345000"
DOUANE_OIN = "00000001003214345001"
UWV_OIN = "00000001810220350000"
KVK_OIN = "00000001003237479000"
RVO_OIN = "00000001003214394000"
DUO_OIN = "00000001800866472000"
ASR_OIN = "00000004300044660000"
LOGIUS_OIN = "00000001822477348000"
IENW_OIN = "00000001003214370000"
AA_EN_HUNZE_OIN = "00000001001589623000"
BAARN_OIN = "00000001001758601000"
BAARLE_NASSAU_OIN = "00000001001911403000"
HAARLEM_OIN = "00000001001608124000"
CIBG_OIN = "00000001003214369000"
KADASTER_OIN = "00000001802327497000"


def _dienst(
    service_uuid, naam, naam_en, omschrijving, omschrijving_en, niveau, url, *instanties, **extra
) -> DienstSpec:
    return DienstSpec(
        service_uuid=service_uuid,
        naam=naam,
        naam_en=naam_en,
        omschrijving=omschrijving,
        omschrijving_en=omschrijving_en,
        niveau=niveau,
        url=url,
        instanties=list(instanties),
        **extra,
    )


def dienstverleners() -> list[DienstverlenerSpec]:
    """The current edition (1.13 namespace)."""
    bd = "https://www.belastingdienst.nl/wps/wcm/connect/nl/ondernemers"
    return [
        DienstverlenerSpec(
            BELASTINGDIENST_OIN,
            "Belastingdienst",
            "Netherlands Tax Administration",
            [
                _dienst(
                    AANGIFTE_OMZETBELASTING,
                    "Aangifte omzetbelasting",
                    "VAT return",
                    "Doe aangifte omzetbelasting (btw) voor uw onderneming, per maand, kwartaal of jaar.",
                    "File the VAT return for your business, monthly, quarterly or yearly.",
                    Niveau.EH3,
                    f"{bd}/btw",
                    ALGEMEEN,
                    vestiging_toegestaan=False,
                ),
                _dienst(
                    LOONHEFFINGEN,
                    "Loonheffingen",
                    "Payroll taxes",
                    "Doe aangifte loonheffingen en bekijk uw berichten over loonheffingen.",
                    "File payroll tax returns and read your payroll tax messages.",
                    Niveau.EH3,
                    f"{bd}/personeel-en-loon",
                    ALGEMEEN,
                ),
                _dienst(
                    VENNOOTSCHAPSBELASTING,
                    "Vennootschapsbelasting",
                    "Corporate income tax",
                    "Doe aangifte vennootschapsbelasting of vraag uitstel aan voor de aangifte.",
                    "File the corporate income tax return or request an extension.",
                    Niveau.EH3,
                    f"{bd}/vennootschapsbelasting",
                    ALGEMEEN,
                ),
                _dienst(
                    INKOMSTENBELASTING_ONDERNEMERS,
                    "Inkomstenbelasting ondernemers",
                    "Income tax for entrepreneurs",
                    "Doe aangifte inkomstenbelasting als ondernemer in de inkomstenbelasting.",
                    "File your income tax return as an entrepreneur.",
                    Niveau.EH3,
                    f"{bd}/inkomstenbelasting",
                    ALGEMEEN,
                ),
                _dienst(
                    MIJN_BELASTINGDIENST_ZAKELIJK,
                    "Mijn Belastingdienst Zakelijk",
                    "My Tax Administration for business",
                    "Bekijk en wijzig de gegevens van uw onderneming en regel uw belastingzaken online.",
                    "View and change your business details and handle your taxes online.",
                    Niveau.EH3,
                    "https://mijn.belastingdienst.nl/zakelijk",
                    GOEDKEURING,
                ),
                _dienst(
                    DIVIDENDBELASTING,
                    "Dividendbelasting",
                    "Dividend tax",
                    "Doe aangifte dividendbelasting over uitgekeerde winst.",
                    "File the dividend tax return on distributed profits.",
                    Niveau.EH3,
                    f"{bd}/dividendbelasting",
                    ALGEMEEN,
                ),
                _dienst(
                    OPGAAF_ICP,
                    "Opgaaf intracommunautaire prestaties",
                    "EC Sales List",
                    "Geef uw leveringen en diensten aan ondernemers in andere EU-landen op (ICP).",
                    "Report your supplies and services to businesses in other EU countries.",
                    Niveau.EH3,
                    f"{bd}/btw/zakendoen_met_het_buitenland",
                    ALGEMEEN,
                    ALLEEN_DV,
                ),
                _dienst(
                    AANGIFTE_BPM,
                    "Aangifte bpm",
                    "Motor vehicle tax (BPM) return",
                    "Doe aangifte belasting van personenauto's en motorrijwielen (bpm).",
                    "File the tax return on passenger cars and motorcycles (BPM).",
                    Niveau.EH3,
                    f"{bd}/auto-en-vervoer/bpm",
                    ALLEEN_DV,
                ),
                _dienst(
                    BELASTINGDIENST_TESTDIENST,
                    "Ketentest Belastingdienst",
                    "Tax Administration chain test",
                    "Testdienst voor de ketentest van softwareleveranciers; niet voor gewoon gebruik.",
                    "Test service for software vendors' chain tests; not for regular use.",
                    Niveau.EH3,
                    "",
                    None,
                    is_public=False,
                ),
            ],
        ),
        DienstverlenerSpec(
            DOUANE_OIN,
            "Douane",
            "Dutch Customs",
            [
                _dienst(
                    MIJN_DOUANE,
                    "Mijn Douane",
                    "My Customs",
                    "Bekijk uw vergunningen, zekerheden en berichten van de Douane.",
                    "View your permits, guarantees and messages from Dutch Customs.",
                    Niveau.EH3,
                    "https://www.douane.nl/mijn-douane",
                    ALGEMEEN,
                ),
                _dienst(
                    DOUANE_AANGIFTE_INVOER,
                    "Aangifte invoer (DMS)",
                    "Import declaration (DMS)",
                    "Doe aangifte ten invoer van goederen via het Douane Management Systeem.",
                    "Declare imported goods through the Customs Management System.",
                    Niveau.EH3,
                    "https://www.douane.nl/aangifte-invoer",
                    ALLEEN_DV,
                ),
                _dienst(
                    DOUANE_VERGUNNINGEN,
                    "Vergunningen aanvragen",
                    "Apply for customs permits",
                    "Vraag een douanevergunning aan, zoals AEO of een vergunning voor douane-entrepot.",
                    "Apply for a customs permit, such as AEO or a customs warehouse permit.",
                    Niveau.EH3,
                    "https://www.douane.nl/vergunningen",
                    GOEDKEURING,
                ),
            ],
        ),
        DienstverlenerSpec(
            UWV_OIN,
            "UWV",
            "UWV (Employee Insurance Agency)",
            [
                _dienst(
                    UWV_WERKGEVERSPORTAAL,
                    "Werkgeversportaal",
                    "Employer portal",
                    "Geef ziek- en herstelmeldingen door, bekijk uitkeringen en regel re-integratiezaken.",
                    "Report sickness and recovery, view benefits and arrange reintegration.",
                    Niveau.EH3,
                    "https://www.uwv.nl/werkgevers/werkgeversportaal",
                    ALLEEN_DV,
                    ALGEMEEN,
                    entity_types=(KVK_NR,),
                ),
                _dienst(
                    UWV_ZIEK_HERSTELMELDINGEN,
                    "Ziek- en herstelmeldingen",
                    "Sickness and recovery reports",
                    "Meld een werknemer ziek of hersteld bij UWV.",
                    "Report an employee sick or recovered to UWV.",
                    Niveau.EH3,
                    "https://www.uwv.nl/werkgevers/ziekmelden",
                    ALGEMEEN,
                    entity_types=(KVK_NR,),
                ),
                _dienst(
                    UWV_EIGENRISICODRAGER,
                    "Eigenrisicodragers Ziektewet en WGA",
                    "Self-insurers Sickness Benefits Act and WGA",
                    "Gegevens uitwisselen over werknemers voor wie u eigenrisicodrager bent.",
                    "Exchange data on employees for whom you carry the risk yourself.",
                    Niveau.EH3,
                    "https://www.uwv.nl/werkgevers/eigenrisicodrager",
                    GEEN,
                    entity_types=(KVK_NR,),
                ),
            ],
        ),
        DienstverlenerSpec(
            KVK_OIN,
            "KVK",
            "Netherlands Chamber of Commerce",
            [
                _dienst(
                    KVK_DEPONEREN_JAARREKENING,
                    "Deponeren jaarrekening",
                    "File annual accounts",
                    "Deponeer de jaarrekening van uw rechtspersoon bij het Handelsregister.",
                    "File the annual accounts of your legal entity with the Business Register.",
                    Niveau.EH2_PLUS,
                    "https://www.kvk.nl/deponeren",
                    ALGEMEEN,
                ),
                _dienst(
                    KVK_WIJZIGING_DOORGEVEN,
                    "Wijziging doorgeven Handelsregister",
                    "Report a change to the Business Register",
                    "Geef een wijziging van uw inschrijving in het Handelsregister online door.",
                    "Report a change to your Business Register entry online.",
                    Niveau.EH3,
                    "https://www.kvk.nl/wijzigen",
                    GOEDKEURING,
                    vestiging_toegestaan=True,
                ),
                _dienst(
                    KVK_UBO_REGISTRATIE,
                    "UBO-registratie",
                    "UBO registration",
                    "Registreer de uiteindelijk belanghebbenden (UBO's) van uw organisatie.",
                    "Register the ultimate beneficial owners (UBOs) of your organisation.",
                    Niveau.EH3,
                    "https://www.kvk.nl/ubo",
                    GEEN,
                ),
                _dienst(
                    KVK_INZAGE_HANDELSREGISTER,
                    "Inzage eigen inschrijving",
                    "View own registration",
                    "Bekijk de gegevens van uw eigen inschrijving in het Handelsregister.",
                    "View the details of your own Business Register entry.",
                    Niveau.EH1,
                    "https://www.kvk.nl/inzage",
                    ALGEMEEN,
                    vestiging_toegestaan=True,
                ),
            ],
        ),
        DienstverlenerSpec(
            RVO_OIN,
            "RVO.nl",
            "Netherlands Enterprise Agency",
            [
                _dienst(
                    MIJN_RVO,
                    "mijn.rvo.nl",
                    "mijn.rvo.nl",
                    "Vraag subsidies aan, geef gegevens door en bekijk uw dossier bij RVO.",
                    "Apply for grants, submit data and view your file at RVO.",
                    Niveau.EH3,
                    "https://mijn.rvo.nl",
                    ALGEMEEN,
                    gevraagde_attributen=(
                        ("urn:etoegang:1.9:attribute:Emailadres", "Om u over uw aanvraag te berichten."),
                    ),
                ),
                _dienst(
                    TENDERNED_AUTHENTICATIE,
                    "TenderNed authenticatie",
                    "TenderNed authentication",
                    "Log in op TenderNed om aanbestedingen te volgen en documenten te downloaden.",
                    "Log in to TenderNed to follow tenders and download documents.",
                    Niveau.EH2_PLUS,
                    "https://www.tenderned.nl",
                    ALGEMEEN,
                ),
                _dienst(
                    TENDERNED_INSCHRIJVEN,
                    "TenderNed inschrijven",
                    "TenderNed submit a tender",
                    "Schrijf in op een aanbesteding en dien uw inschrijving digitaal in via TenderNed.",
                    "Submit your tender digitally through TenderNed.",
                    Niveau.EH3,
                    "https://www.tenderned.nl/inschrijven",
                    GOEDKEURING,
                ),
                _dienst(
                    RVO_GECOMBINEERDE_OPGAVE,
                    "Gecombineerde opgave",
                    "Combined declaration",
                    "Doe de jaarlijkse gecombineerde opgave voor landbouwbedrijven.",
                    "Submit the annual combined declaration for farms.",
                    Niveau.EH2_PLUS,
                    "https://www.rvo.nl/gecombineerde-opgave",
                    ALGEMEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            DUO_OIN,
            "(DUO) Facet",
            "(DUO) Facet",
            [
                _dienst(
                    DUO_FACET_PORTAAL,
                    "Facet Portaal",
                    "Facet Portal",
                    "Uitwisselen van examengegevens tussen scholen en DUO via Facet.",
                    "Exchange exam data between schools and DUO through Facet.",
                    Niveau.EH3,
                    "https://duo.nl/zakelijk/facet",
                    ALGEMEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            ASR_OIN,
            "A.S.R.",
            "a.s.r.",
            [
                _dienst(
                    ASR_ZAKELIJKE_VERZEKERINGEN,
                    "Mijn a.s.r. zakelijke verzekeringen",
                    "My a.s.r. business insurance",
                    "Bekijk en beheer de zakelijke verzekeringen van uw onderneming.",
                    "View and manage your company's business insurance policies.",
                    Niveau.EH2_PLUS,
                    "https://www.asr.nl/zakelijk",
                    ALGEMEEN,
                ),
                _dienst(
                    ASR_SCHADE_MELDEN,
                    "Schade melden",
                    "Report a claim",
                    "Meld schade aan een zakelijke verzekering en volg de afhandeling.",
                    "Report a claim on a business policy and follow its handling.",
                    Niveau.EH2_PLUS,
                    "https://www.asr.nl/zakelijk/schade-melden",
                    ALLEEN_DV,
                ),
            ],
        ),
        DienstverlenerSpec(
            LOGIUS_OIN,
            "Mijn Overheid voor Ondernemers",
            "My Government for Entrepreneurs",
            [
                _dienst(
                    MIJN_OVERHEID_ONDERNEMERS,
                    "Mijn Overheid voor Ondernemers",
                    "My Government for Entrepreneurs",
                    "Berichten van de overheid aan uw onderneming op één plek.",
                    "Messages from the government to your business in one place.",
                    Niveau.EH3,
                    "https://ondernemersplein.overheid.nl/mijn-overheid-voor-ondernemers",
                    GEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            IENW_OIN,
            "Ministerie van Infrastructuur en Waterstaat",
            "Ministry of Infrastructure and Water Management",
            [
                _dienst(
                    LANDELIJK_ASBESTVOLGSYSTEEM,
                    "Landelijk Asbestvolgsysteem",
                    "National Asbestos Tracking System",
                    "Registreer asbestinventarisaties en -verwijderingen in het Landelijk Asbestvolgsysteem (LAVS).",
                    "Register asbestos surveys and removals in the National Asbestos Tracking System (LAVS).",
                    Niveau.EH3,
                    "https://www.lavs.nl",
                    ALGEMEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            AA_EN_HUNZE_OIN,
            "Gemeente Aa en Hunze",
            "Municipality of Aa en Hunze",
            [
                _dienst(
                    AA_EN_HUNZE_BRP_UITTREKSEL,
                    "Aanvraag BRP Uittreksel",
                    "Request a BRP extract",
                    "Vraag een uittreksel uit de Basisregistratie Personen aan namens uw organisatie.",
                    "Request an extract from the Personal Records Database on behalf of your organisation.",
                    Niveau.EH2_PLUS,
                    "https://www.aaenhunze.nl/brp-uittreksel",
                    GEEN,
                ),
                _dienst(
                    AA_EN_HUNZE_BELASTINGEN,
                    "Belastingen ondernemers",
                    "Business taxes",
                    "Bekijk uw aanslag gemeentelijke belastingen en de WOZ-waarde van uw bedrijfspand.",
                    "View your municipal tax assessment and the WOZ value of your business premises.",
                    Niveau.EH3,
                    "https://www.aaenhunze.nl/belastingen",
                    ALGEMEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            BAARN_OIN,
            "Gemeente Baarn",
            "Municipality of Baarn",
            [
                _dienst(
                    BAARN_ZAAKSYSTEEM,
                    "zaaksysteem Baarn",
                    "Baarn case system",
                    "Dien aanvragen in en volg uw lopende zaken bij de gemeente Baarn.",
                    "Submit applications and follow your open cases with the municipality of Baarn.",
                    Niveau.EH2_PLUS,
                    "https://www.baarn.nl/zaken",
                    GEEN,
                ),
                _dienst(
                    BAARN_OMGEVINGSVERGUNNING,
                    "Omgevingsvergunning",
                    "Environmental permit",
                    "Vraag een omgevingsvergunning aan voor bouwen, verbouwen of slopen.",
                    "Apply for an environmental permit to build, rebuild or demolish.",
                    Niveau.EH3,
                    "https://www.baarn.nl/omgevingsvergunning",
                    ALGEMEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            BAARLE_NASSAU_OIN,
            "Gemeente Baarle-Nassau",
            "Municipality of Baarle-Nassau",
            [
                _dienst(
                    BAARLE_NASSAU_SUBSIDIEPORTAAL,
                    "Subsidieportaal",
                    "Grants portal",
                    "Vraag een gemeentelijke subsidie aan en verantwoord de besteding.",
                    "Apply for a municipal grant and account for its use.",
                    Niveau.EH2,
                    "https://www.baarle-nassau.nl/subsidies",
                    GEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            HAARLEM_OIN,
            "Gemeente Haarlem",
            "Municipality of Haarlem",
            [
                _dienst(
                    HAARLEM_TIJDELIJKE_PARKEERVERGUNNING,
                    "Tijdelijke parkeervergunning",
                    "Temporary parking permit",
                    "Vraag een tijdelijke parkeervergunning aan voor bedrijfsvoertuigen.",
                    "Apply for a temporary parking permit for business vehicles.",
                    Niveau.EH2_PLUS,
                    "https://www.haarlem.nl/parkeervergunning",
                    ALGEMEEN,
                ),
                _dienst(
                    HAARLEM_BELASTINGEN,
                    "Belastingzaken ondernemers",
                    "Business taxes",
                    "Bekijk uw aanslagen, vraag een betalingsregeling aan of dien bezwaar in.",
                    "View your assessments, arrange payment or lodge an objection.",
                    Niveau.EH3,
                    "https://www.haarlem.nl/belastingen",
                    ALGEMEEN,
                ),
                _dienst(
                    HAARLEM_EVENEMENTENVERGUNNING,
                    "Evenementenvergunning",
                    "Event permit",
                    "Vraag een vergunning aan voor een evenement in Haarlem.",
                    "Apply for a permit for an event in Haarlem.",
                    Niveau.EH2_PLUS,
                    "https://www.haarlem.nl/evenementen",
                    GOEDKEURING,
                ),
                _dienst(
                    HAARLEM_NIEUWSBRIEF_ONDERNEMERS,
                    "Nieuwsbrief ondernemers",
                    "Business newsletter",
                    "Meld uw onderneming aan voor de nieuwsbrief van de gemeente Haarlem.",
                    "",
                    Niveau.EH1,
                    "",
                ),
            ],
        ),
        DienstverlenerSpec(
            CIBG_OIN,
            "CIBG",
            "CIBG",
            [
                _dienst(
                    CIBG_OPIUMWETONTHEFFING,
                    "Opiumwetontheffing",
                    "Opium Act exemption",
                    "Vraag een ontheffing aan voor het werken met middelen die onder de Opiumwet vallen.",
                    "Apply for an exemption to work with substances under the Opium Act.",
                    Niveau.EH4,
                    "https://www.farmatec.nl/opiumwet",
                    GEEN,
                ),
                _dienst(
                    CIBG_FARMATEC,
                    "Farmatec vergunningen",
                    "Farmatec licences",
                    "Vraag vergunningen aan voor de productie van en handel in geneesmiddelen.",
                    "Apply for licences to manufacture and trade medicines.",
                    Niveau.EH4,
                    "https://www.farmatec.nl",
                    GOEDKEURING,
                ),
            ],
        ),
        DienstverlenerSpec(
            KADASTER_OIN,
            "Kadaster",
            "Netherlands' Cadastre",
            [
                _dienst(
                    KADASTER_KIK_INZAGE,
                    "KIK-inzage",
                    "KIK viewing",
                    "Raadpleeg kadastrale gegevens en ingeschreven stukken via Ketenintegratie Kadaster (KIK).",
                    "Consult cadastral data and registered deeds through KIK.",
                    Niveau.EH2,
                    "https://www.kadaster.nl/kik-inzage",
                    ALGEMEEN,
                    entity_types=(KVK_NR, RSIN),
                ),
            ],
        ),
    ]


def dienstverleners_1_11() -> list[DienstverlenerSpec]:
    """An older, smaller edition in the 1.11 namespace, with a few differences to the current one."""
    return [
        DienstverlenerSpec(
            BELASTINGDIENST_OIN,
            "Belastingdienst",
            "",  # no English name in this edition
            [
                _dienst(
                    AANGIFTE_OMZETBELASTING,
                    "Aangifte omzetbelasting",
                    "VAT return",
                    "Doe aangifte omzetbelasting (btw) voor uw onderneming.",
                    "File the VAT return for your business.",
                    Niveau.EH3,
                    "https://www.belastingdienst.nl/wps/wcm/connect/nl/ondernemers/btw",
                    GEEN,
                ),
                _dienst(
                    LOONHEFFINGEN,
                    "Loonheffingen",
                    "Payroll taxes",
                    "Doe aangifte loonheffingen.",
                    "",
                    Niveau.EH3,
                    "",
                    ALGEMEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            UWV_OIN,
            "UWV",
            "",
            [
                _dienst(
                    UWV_WERKGEVERSPORTAAL,
                    "Werkgeversportaal",
                    "",
                    "Werkgeverszaken regelen bij UWV.",
                    "",
                    Niveau.EH2_PLUS,  # raised to EH3 in the current edition
                    "",
                    ALGEMEEN,
                ),
                _dienst(
                    UWV_DIGITAAL_KLANTDOSSIER,
                    "Digitaal klantdossier werkgevers",
                    "",
                    "Het oude klantdossier voor werkgevers; vervangen door het Werkgeversportaal.",
                    "",
                    Niveau.EH2_PLUS,
                    "",
                    ALGEMEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            RVO_OIN,
            "RVO.nl",
            "",
            [
                _dienst(
                    TENDERNED_AUTHENTICATIE,
                    "TenderNed authenticatie",
                    "",
                    "Inloggen op TenderNed.",
                    "",
                    Niveau.EH2,
                    "",
                    GEEN,
                ),
            ],
        ),
        DienstverlenerSpec(
            HAARLEM_OIN,
            "Gemeente Haarlem",
            "",
            [
                _dienst(
                    HAARLEM_TIJDELIJKE_PARKEERVERGUNNING,
                    "Tijdelijke parkeervergunning",
                    "",
                    "Tijdelijke parkeervergunning aanvragen.",
                    "",
                    Niveau.EH2_PLUS,
                    "",
                    ALGEMEEN,
                ),
            ],
        ),
    ]


def voorbeeld_xml() -> str:
    return catalogus_xml(
        dienstverleners(),
        namespace=NS_1_13,
        catalogus_id="_dc-2026-01-15",
        uitgegeven_op=datetime(2026, 1, 15, 6, 0, tzinfo=UTC),
        versie="urn:etoegang:1.13:service-catalogue:P:412",
    )


def voorbeeld_1_11_xml() -> str:
    return catalogus_xml(
        dienstverleners_1_11(),
        namespace=NS_1_11,
        catalogus_id="_dc-2019-06-01",
        uitgegeven_op=datetime(2019, 6, 1, 6, 0, tzinfo=UTC),
        versie="urn:etoegang:1.11:service-catalogue:P:118",
    )


def schrijf_voorbeelden() -> None:
    BESTAND.write_text(voorbeeld_xml(), encoding="utf-8")
    BESTAND_1_11.write_text(voorbeeld_1_11_xml(), encoding="utf-8")


if __name__ == "__main__":
    schrijf_voorbeelden()

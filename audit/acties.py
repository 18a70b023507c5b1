"""Every kind of audit entry (R74), in one registry, named `onderwerp.gebeurtenis`.

`audit_log` and `audit_bulk` accept only these, so a new kind of change is added here first: the Logboek can
then filter on it and label it, and a typo is an error instead of an entry nobody finds.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Actie(models.TextChoices):
    # Aanvragen and their handling by support
    AANVRAAG_GOEDGEKEURD = "aanvraag.goedgekeurd", _("Aanvraag goedgekeurd")
    AANVRAAG_AFGEKEURD = "aanvraag.afgekeurd", _("Aanvraag afgekeurd")
    AANVRAAG_ACTIVATIEBRIEF = "aanvraag.activatiebrief", _("Activatiebrief gemaakt")
    AANVRAAG_ID_DOCUMENT_GEDOWNLOAD = "aanvraag.id_document_gedownload", _("Identiteitsdocument bekeken")

    # Middelen
    MIDDEL_AANGEVRAAGD = "middel.aangevraagd", _("Middel aangevraagd")
    MIDDEL_UPGRADE_AANGEVRAAGD = "middel.upgrade_aangevraagd", _("Wijziging niveau aangevraagd")
    MIDDEL_NIEUWE_UITNODIGING_AANGEVRAAGD = (
        "middel.nieuwe_uitnodiging_aangevraagd",
        _("Nieuwe uitnodiging tot activatie aangevraagd"),
    )
    MIDDEL_GEACTIVEERD = "middel.geactiveerd", _("Middel geactiveerd")
    MIDDEL_ACTIVATIE_VERLOPEN = "middel.activatie_verlopen", _("Activatie verlopen")
    MIDDEL_TYPE_GEWIJZIGD = "middel.type_gewijzigd", _("Type middel gewijzigd")

    # Koppelingen (a middel at an organisation)
    KOPPELING_AANGEVRAAGD = "koppeling.aangevraagd", _("Koppeling aangevraagd")
    KOPPELING_ROL_GEWIJZIGD = "koppeling.rol_gewijzigd", _("Rol gewijzigd")
    KOPPELING_OPGEZEGD = "koppeling.opgezegd", _("Middel opgezegd")
    KOPPELING_OPZEGGING_GEPLAND = "koppeling.opzegging_gepland", _("Opzegging gepland")
    KOPPELING_OPZEGGING_NIET_UITGEVOERD = "koppeling.opzegging_niet_uitgevoerd", _("Opzegging niet uitgevoerd")

    # Persons
    PERSOON_MOBIEL_GEWIJZIGD = "persoon.mobiel_gewijzigd", _("Telefoonnummer gewijzigd")
    PERSOON_EMAIL_GEWIJZIGD = "persoon.email_gewijzigd", _("E-mailadres gewijzigd")
    PERSOON_WACHTWOORD_GEWIJZIGD = "persoon.wachtwoord_gewijzigd", _("Wachtwoord gewijzigd")
    PERSOON_WACHTWOORD_HERSTELD = "persoon.wachtwoord_hersteld", _("Wachtwoord hersteld")

    # Organisations
    ORGANISATIE_GEREGISTREERD = "organisatie.geregistreerd", _("Organisatie geregistreerd")
    ORGANISATIE_OPGEZEGD = "organisatie.opgezegd", _("Organisatie opgezegd")

    # Machtigingen
    MACHTIGING_TOEGEVOEGD = "machtiging.toegevoegd", _("Machtiging toegevoegd")
    MACHTIGING_EINDDATUM_GEWIJZIGD = "machtiging.einddatum_gewijzigd", _("Einddatum machtiging gewijzigd")
    MACHTIGING_VERLENGD = "machtiging.verlengd", _("Machtiging verlengd")
    MACHTIGING_INGETROKKEN = "machtiging.ingetrokken", _("Machtiging ingetrokken")
    MACHTIGING_VERLOPEN = "machtiging.verlopen", _("Machtiging verlopen")
    MACHTIGING_BEEINDIGD = "machtiging.beeindigd", _("Machtiging beëindigd")

    # Ketenmachtigingen, the module for intermediairs, invitations
    KETENMACHTIGING_AFGEGEVEN = "ketenmachtiging.afgegeven", _("Ketenmachtiging afgegeven")
    KETENMACHTIGING_GEWIJZIGD = "ketenmachtiging.gewijzigd", _("Ketenmachtiging gewijzigd")
    KETENMACHTIGING_INGETROKKEN = "ketenmachtiging.ingetrokken", _("Ketenmachtiging ingetrokken")
    KETENMACHTIGING_VERLOPEN = "ketenmachtiging.verlopen", _("Ketenmachtiging verlopen")
    KETENMACHTIGING_GEKOPPELD = "ketenmachtiging.gekoppeld", _("Ketenmachtiging gekoppeld aan middel")
    KETENMACHTIGING_ONTKOPPELD = "ketenmachtiging.ontkoppeld", _("Ketenmachtiging ontkoppeld van middel")
    KETENMODULE_AANGEVRAAGD = "ketenmodule.aangevraagd", _("Module ketenmachtigingen aangevraagd")
    KETENMODULE_OFFERTE_OPGESTELD = "ketenmodule.offerte_opgesteld", _("Offerte opgesteld")
    KETENMODULE_OFFERTE_VERSTUURD = "ketenmodule.offerte_verstuurd", _("Offerte verstuurd")
    KETENMODULE_OFFERTE_GEACCEPTEERD = "ketenmodule.offerte_geaccepteerd", _("Offerte geaccepteerd")
    KETENMODULE_INGESCHAKELD = "ketenmodule.ingeschakeld", _("Module ketenmachtigingen ingeschakeld")
    UITNODIGING_VERSTUURD = "uitnodiging.verstuurd", _("Relatie uitgenodigd")
    UITNODIGING_VERLOPEN = "uitnodiging.verlopen", _("Uitnodiging verlopen")
    # Ketenmachtigingen van relaties: invitations answered on their own page (K2)
    UITNODIGING_OPNIEUW_VERSTUURD = "uitnodiging.opnieuw_verstuurd", _("Uitnodiging opnieuw verstuurd")
    UITNODIGING_INGETROKKEN = "uitnodiging.ingetrokken", _("Uitnodiging ingetrokken")
    UITNODIGING_GEOPEND = "uitnodiging.geopend", _("Uitnodiging geopend")
    UITNODIGING_IDENTITEIT_BEVESTIGD = "uitnodiging.identiteit_bevestigd", _("Identiteit vertegenwoordiger bevestigd")
    UITNODIGING_CODE_BEVESTIGD = "uitnodiging.code_bevestigd", _("Code van vertegenwoordiger bevestigd")
    UITNODIGING_GEWEIGERD = "uitnodiging.geweigerd", _("Uitnodiging geweigerd")
    UITNODIGING_VERGRENDELD = "uitnodiging.vergrendeld", _("Uitnodiging vergrendeld")
    KETENMACHTIGING_KOPPELINGEN_BEEINDIGD = (
        "ketenmachtiging.koppelingen_beeindigd",
        _("Koppelingen van ketenmachtiging beëindigd"),
    )

    # Messages
    BERICHT_OPNIEUW_VERSTUURD = "bericht.opnieuw_verstuurd", _("Bericht opnieuw verstuurd")
    BERICHT_HERINNERING_MACHTIGING = "bericht.herinnering_machtiging", _("Herinnering verlopende machtiging")
    BERICHT_WAARSCHUWING_EIGEN_MIDDEL = "bericht.waarschuwing_eigen_middel", _("Waarschuwing middel zonder beheerder")

    # Support's reference data
    TARIEF_TOEGEVOEGD = "tarief.toegevoegd", _("Tarief toegevoegd")
    TARIEF_GEWIJZIGD = "tarief.gewijzigd", _("Tarief gewijzigd")
    CATALOGUS_GEIMPORTEERD = "catalogus.geimporteerd", _("Dienstencatalogus geïmporteerd")
    HANDELSREGISTER_GELADEN = "handelsregister.geladen", _("Handelsregister geladen")
    HANDELSREGISTER_BESTAND_GELADEN = "handelsregister.bestand_geladen", _("Handelsregisterbestand geladen")

    # Ketenmachtigingen afgegeven (K1): extending in place (R46)
    KETENMACHTIGING_VERLENGD = "ketenmachtiging.verlengd", _("Ketenmachtiging verlengd")

    # Instellingen (I1): Algemeen, Facturatie, Organisatie toevoegen (R51–R53)
    ORGANISATIE_VESTIGINGSNUMMER_VERWIJDERD = (
        "organisatie.vestigingsnummer_verwijderd",
        _("Vestigingsnummer verwijderd"),
    )
    ORGANISATIE_AANGEVRAAGD = "organisatie.aangevraagd", _("Organisatie toevoegen aangevraagd")
    ORGANISATIE_GOEDGEKEURD = "organisatie.goedgekeurd", _("Organisatie toegevoegd")
    FACTURATIE_REKENING_GEWIJZIGD = "facturatie.rekening_gewijzigd", _("Rekeningnummer gewijzigd")
    FACTURATIE_BETAALWIJZE_GEWIJZIGD = "facturatie.betaalwijze_gewijzigd", _("Betaalwijze gewijzigd")
    FACTURATIE_FACTUUR_EMAIL_GEWIJZIGD = "facturatie.factuur_email_gewijzigd", _("Factuur e-mailadres gewijzigd")
    FACTURATIE_FACTURATIEWIJZE_GEWIJZIGD = "facturatie.facturatiewijze_gewijzigd", _("Facturatiewijze gewijzigd")

    # Lopende aanvragen, Logboek, Overige wijzigingen (I2)
    AANVRAAG_INGETROKKEN = "aanvraag.ingetrokken", _("Aanvraag ingetrokken")
    LOGBOEK_GEDOWNLOAD = "logboek.gedownload", _("Logboek gedownload")
    WIJZIGINGSFORMULIER_GEDOWNLOAD = "wijzigingsformulier.gedownload", _("Wijzigingsformulier gedownload")

    # Machtigingenregister API (A): clients managed by support
    API_CLIENT_AANGEMAAKT = "apiclient.aangemaakt", _("API-client aangemaakt")
    API_CLIENT_TOKEN_VERNIEUWD = "apiclient.token_vernieuwd", _("Token API-client vernieuwd")
    API_CLIENT_INGETROKKEN = "apiclient.ingetrokken", _("API-client ingetrokken")

    # Groepen (G): groups, their members and their machtigingen (R24)
    GROEP_AANGEMAAKT = "groep.aangemaakt", _("Groep aangemaakt")
    GROEP_HERNOEMD = "groep.hernoemd", _("Groep hernoemd")
    GROEP_VERWIJDERD = "groep.verwijderd", _("Groep verwijderd")
    GROEP_LID_TOEGEVOEGD = "groep.lid_toegevoegd", _("Lid aan groep toegevoegd")
    GROEP_LID_VERWIJDERD = "groep.lid_verwijderd", _("Lid uit groep verwijderd")
    GROEPSMACHTIGING_TOEGEVOEGD = "groepsmachtiging.toegevoegd", _("Groepsmachtiging toegevoegd")
    GROEPSMACHTIGING_EINDDATUM_GEWIJZIGD = (
        "groepsmachtiging.einddatum_gewijzigd",
        _("Einddatum groepsmachtiging gewijzigd"),
    )
    GROEPSMACHTIGING_INGETROKKEN = "groepsmachtiging.ingetrokken", _("Groepsmachtiging ingetrokken")
    GROEPSMACHTIGING_BEEINDIGD = "groepsmachtiging.beeindigd", _("Groepsmachtiging beëindigd")

    # Laatst gebruikt (A2, R76): the warning before a machtiging unused for 24 months ends
    BERICHT_WAARSCHUWING_ONGEBRUIKT = (
        "bericht.waarschuwing_ongebruikt",
        _("Waarschuwing machtiging niet gebruikt"),
    )

    # Register intermediation (R, R75): support records the dienstverlener's approval of an intermediair
    INTERMEDIAIR_GOEDKEURING_VASTGELEGD = (
        "intermediairgoedkeuring.vastgelegd",
        _("Goedkeuring intermediair vastgelegd"),
    )
    INTERMEDIAIR_GOEDKEURING_INGETROKKEN = (
        "intermediairgoedkeuring.ingetrokken",
        _("Goedkeuring intermediair ingetrokken"),
    )


# The names used before this registry, for the migration that renames stored entries.
VORIGE_NAMEN = {
    "machtiging_toegevoegd": Actie.MACHTIGING_TOEGEVOEGD,
    "machtiging_einddatum_gewijzigd": Actie.MACHTIGING_EINDDATUM_GEWIJZIGD,
    "machtiging_verlengd": Actie.MACHTIGING_VERLENGD,
    "machtiging_ingetrokken": Actie.MACHTIGING_INGETROKKEN,
    "machtiging_verlopen": Actie.MACHTIGING_VERLOPEN,
    "machtigingen.ingetrokken_bij_downgrade": Actie.MACHTIGING_BEEINDIGD,
    "organisatie_geregistreerd": Actie.ORGANISATIE_GEREGISTREERD,
    "ketenmachtiging_afgegeven": Actie.KETENMACHTIGING_AFGEGEVEN,
    "ketenmachtiging_gewijzigd": Actie.KETENMACHTIGING_GEWIJZIGD,
    "ketenmachtiging_ingetrokken": Actie.KETENMACHTIGING_INGETROKKEN,
    "ketenmachtiging_verlopen": Actie.KETENMACHTIGING_VERLOPEN,
    "ketenmachtiging_gekoppeld": Actie.KETENMACHTIGING_GEKOPPELD,
    "ketenmachtiging_ontkoppeld": Actie.KETENMACHTIGING_ONTKOPPELD,
    "ketenmodule_aangevraagd": Actie.KETENMODULE_AANGEVRAAGD,
    "ketenmodule_offerte_opgesteld": Actie.KETENMODULE_OFFERTE_OPGESTELD,
    "ketenmodule_offerte_verstuurd": Actie.KETENMODULE_OFFERTE_VERSTUURD,
    "ketenmodule_offerte_geaccepteerd": Actie.KETENMODULE_OFFERTE_GEACCEPTEERD,
    "ketenmodule_ingeschakeld": Actie.KETENMODULE_INGESCHAKELD,
    "relatie_uitgenodigd": Actie.UITNODIGING_VERSTUURD,
    "uitnodiging_verlopen": Actie.UITNODIGING_VERLOPEN,
    "bericht.opnieuw_versturen": Actie.BERICHT_OPNIEUW_VERSTUURD,
    "catalogus_import": Actie.CATALOGUS_GEIMPORTEERD,
    "handelsregister_geladen": Actie.HANDELSREGISTER_GELADEN,
    "handelsregister_bestand_geladen": Actie.HANDELSREGISTER_BESTAND_GELADEN,
}

from django.urls import path

from instellingen.views import algemeen, facturatie, organisaties

app_name = "instellingen"

urlpatterns = [
    path("", algemeen.algemeen, name="algemeen"),
    path("vestigingsnummer/", algemeen.vestigingsnummer_verwijderen, name="vestigingsnummer_verwijderen"),
    path("facturatie/", facturatie.overzicht, name="facturatie"),
    path("facturatie/rekening/", facturatie.rekening, name="facturatie_rekening"),
    path("facturatie/email/", facturatie.factuur_email, name="facturatie_email"),
    path("organisaties/", organisaties.overzicht, name="organisaties"),
    path("organisaties/toevoegen/", organisaties.stap_organisatie, name="organisatie_toevoegen"),
    path("organisaties/toevoegen/niveau/", organisaties.stap_niveau, name="toevoegen_niveau"),
    path("organisaties/toevoegen/beheerder/", organisaties.stap_beheerder, name="toevoegen_beheerder"),
    path(
        "organisaties/toevoegen/vertegenwoordigers/",
        organisaties.stap_vertegenwoordigers,
        name="toevoegen_vertegenwoordigers",
    ),
    path("organisaties/toevoegen/kosten/", organisaties.stap_kosten, name="toevoegen_kosten"),
    path("organisaties/aanvraag/<int:aanvraag_id>/", organisaties.aangevraagd, name="organisatie_aangevraagd"),
    path("organisaties/aanvraag/<int:aanvraag_id>/contract/", organisaties.contract, name="organisatie_contract"),
]

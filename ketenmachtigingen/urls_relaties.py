"""Ketenmachtigingen van relaties (§5.1): the intermediair's side. Concatenated into `ketenmachtigingen.urls`."""

from django.urls import path

from ketenmachtigingen.views import ontvangen, relaties, relaties_bestand

urlpatterns = [
    path("van-relaties/", relaties.van_relaties, name="van_relaties"),
    path("van-relaties/module/", relaties.module_aanvragen, name="relaties_module_aanvragen"),
    path("van-relaties/uitnodigen/", relaties.uitnodigen, name="relaties_uitnodigen"),
    path("van-relaties/bestand/", relaties_bestand.bestand, name="relaties_bestand"),
    path("van-relaties/bestand/versturen/", relaties_bestand.bestand_versturen, name="relaties_bestand_versturen"),
    path(
        "van-relaties/uitnodiging/<int:uitnodiging_id>/opnieuw/",
        relaties.uitnodiging_opnieuw,
        name="relaties_uitnodiging_opnieuw",
    ),
    path(
        "van-relaties/uitnodiging/<int:uitnodiging_id>/intrekken/",
        relaties.uitnodiging_intrekken,
        name="relaties_uitnodiging_intrekken",
    ),
    path("van-relaties/ontvangen/<int:ketenmachtiging_id>/koppelen/", ontvangen.koppelen, name="ontvangen_koppelen"),
    path(
        "van-relaties/ontvangen/<int:ketenmachtiging_id>/ontkoppelen/<int:middel_id>/",
        ontvangen.ontkoppelen,
        name="ontvangen_ontkoppelen",
    ),
    path("van-relaties/ontvangen/<int:ketenmachtiging_id>/intrekken/", ontvangen.intrekken, name="ontvangen_intrekken"),
]

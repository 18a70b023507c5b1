from django.urls import path

from beheer import views, views_aanvragen, views_wijzigingen
from inloggen import urls as inloggen_urls

app_name = "beheer"

urlpatterns = [
    path("", views.home, name="home"),
    path("beheer/", views.start, name="start"),
    path("beheer/organisatie/", views.wissel_organisatie, name="wissel_organisatie"),
    path("beheer/lopende-aanvragen/", views_aanvragen.overzicht, name="lopende_aanvragen"),
    path("beheer/lopende-aanvragen/<int:aanvraag_id>/intrekken/", views_aanvragen.intrekken, name="aanvraag_intrekken"),
    path("beheer/overige-wijzigingen/", views_wijzigingen.overige_wijzigingen, name="overige_wijzigingen"),
    path(
        "beheer/overige-wijzigingen/formulieren/",
        views_wijzigingen.wijzigingsformulieren,
        name="wijzigingsformulieren",
    ),
    *inloggen_urls.urlpatterns,
]

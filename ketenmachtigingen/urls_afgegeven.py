"""Ketenmachtigingen afgegeven (§5.2): the verlener's side. Concatenated into `ketenmachtigingen.urls`."""

from django.urls import path

from ketenmachtigingen.views import afgegeven, afgegeven_beheer, afgegeven_toevoegen

urlpatterns = [
    path("afgegeven/", afgegeven.afgegeven, name="afgegeven"),
    path("afgegeven/toevoegen/", afgegeven_toevoegen.toevoegen, name="afgegeven_toevoegen"),
    path(
        "afgegeven/<int:intermediair_id>/toevoegen/",
        afgegeven_toevoegen.toevoegen,
        name="afgegeven_machtiging_toevoegen",
    ),
    path("afgegeven/<int:intermediair_id>/informatie/", afgegeven.informatie, name="afgegeven_informatie"),
    path(
        "afgegeven/<int:intermediair_id>/informatie.pdf",
        afgegeven.informatie_pdf,
        name="afgegeven_informatie_pdf",
    ),
    path("afgegeven/<int:intermediair_id>/verwijderen/", afgegeven_beheer.verwijderen, name="afgegeven_verwijderen"),
    path(
        "afgegeven/ketenmachtiging/<int:ketenmachtiging_id>/verlengen/",
        afgegeven_beheer.verlengen,
        name="afgegeven_verlengen",
    ),
    path(
        "afgegeven/ketenmachtiging/<int:ketenmachtiging_id>/intrekken/",
        afgegeven_beheer.intrekken,
        name="afgegeven_intrekken",
    ),
]

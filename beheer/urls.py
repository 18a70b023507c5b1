from django.urls import path

from beheer import views

app_name = "beheer"

urlpatterns = [
    path("", views.home, name="home"),
    path("beheer/", views.start, name="start"),
    path("beheer/organisatie/", views.wissel_organisatie, name="wissel_organisatie"),
    path("beheer/instellingen/", views.instellingen, name="instellingen"),
    path("profiel/", views.profiel, name="profiel"),
    path("inloggen/", views.InloggenView.as_view(), name="inloggen"),
    path("uitloggen/", views.UitloggenView.as_view(), name="uitloggen"),
]

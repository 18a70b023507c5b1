from django.urls import path

from beheer import views
from inloggen import urls as inloggen_urls

app_name = "beheer"

urlpatterns = [
    path("", views.home, name="home"),
    path("beheer/", views.start, name="start"),
    path("beheer/organisatie/", views.wissel_organisatie, name="wissel_organisatie"),
    *inloggen_urls.urlpatterns,
]

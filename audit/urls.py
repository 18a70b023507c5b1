from django.urls import path

from audit import views

app_name = "logboek"

urlpatterns = [
    path("", views.overzicht, name="overzicht"),
    path("download/", views.download, name="download"),
]

from django.urls import path

from beheer import views

app_name = "instellingen"

urlpatterns = [
    path("", views.instellingen, name="algemeen"),
]

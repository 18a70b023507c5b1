"""The page a relation answers an invitation on (R43, R47): no eHerkenning needed. Mounted at /uitnodiging/,
so the link `services.informeren.uitnodiging_link` builds (`SITE_URL/uitnodiging/<token>/`) resolves here."""

from django.urls import path

from ketenmachtigingen.views import uitnodiging

app_name = "uitnodiging"

urlpatterns = [
    path("<str:token>/", uitnodiging.beantwoorden, name="beantwoorden"),
]

"""The site's URLs with gebruikers:wat_mag wired in, as the lead will do in gebruikers/urls.py (one line)."""

from django.urls import include, path

import gebruikers.urls
from config.urls import urlpatterns as site
from gebruikers.views import wat_mag

urlpatterns = [
    path(
        "beheer/gebruikers/",
        include((gebruikers.urls.urlpatterns + wat_mag.urlpatterns, "gebruikers"), namespace="gebruikers"),
    ),
    *[p for p in site if getattr(p, "namespace", None) != "gebruikers"],
]

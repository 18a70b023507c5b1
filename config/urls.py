from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/gebruikers/", include("gebruikers.urls")),
    path("beheer/machtigingen/", include("machtigingen.urls")),
    path("beheer/groepen/", include("groepen.urls")),
    path("beheer/ketenmachtigingen/", include("ketenmachtigingen.urls")),
    path("beheer/instellingen/", include("instellingen.urls")),
    path("beheer/logboek/", include("audit.urls")),
    path("uitnodiging/", include("ketenmachtigingen.urls_uitnodiging")),
    # The Machtigingenregister's decision API (AuthZEN) and its schema.
    path("", include("api.urls")),
    path("", include("beheer.urls")),
]

"""Log-in, activation, recovery and profile screens. Included by `beheer/urls.py` into the `beheer` namespace,
so the names stay `beheer:inloggen`, `beheer:profiel`, ... (the names the layout and LOGIN_URL already use)."""

from django.urls import path

from inloggen import views

urlpatterns = [
    path("inloggen/", views.InloggenView.as_view(), name="inloggen"),
    path("inloggen/code/", views.inloggen_code, name="inloggen_code"),
    path("uitloggen/", views.UitloggenView.as_view(), name="uitloggen"),
    path("inloggen/vergeten/", views.vergeten, name="vergeten"),
    path("inloggen/vergeten/gebruikersnaam/", views.vergeten_gebruikersnaam, name="vergeten_gebruikersnaam"),
    path("inloggen/vergeten/wachtwoord/", views.vergeten_wachtwoord, name="vergeten_wachtwoord"),
    path("inloggen/herstellen/<str:uidb64>/<str:token>/", views.herstellen_link, name="herstellen_link"),
    path("inloggen/herstellen/", views.herstellen, name="herstellen"),
    path("activeren/<str:token>/", views.activeren_link, name="activeren_link"),
    path("activeren/", views.activeren, name="activeren"),
    path("profiel/", views.profiel, name="profiel"),
    path("profiel/inloghistorie/", views.profiel_inloghistorie, name="inloghistorie"),
    path("profiel/machtigingen/", views.profiel_machtigingen, name="profiel_machtigingen"),
    path("profiel/e-mailadres/", views.profiel_email, name="profiel_email"),
    path("profiel/wachtwoord/", views.profiel_wachtwoord, name="profiel_wachtwoord"),
    path("profiel/taal/", views.profiel_taal, name="profiel_taal"),
]

# Not Beheermodule views: open to every signed-in person (profile) or to nobody signed in (log-in, recovery,
# activation). tests/inloggen/test_toegang.py checks every OTHER name in a Beheermodule namespace.
NIET_BEHEERMODULE = {f"beheer:{p.name}" for p in urlpatterns} | {"beheer:home"}

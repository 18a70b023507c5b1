"""Log-in, activation, recovery and profile screens. Included by `beheer/urls.py` into the `beheer` namespace,
so the names stay `beheer:inloggen`, `beheer:profiel`, ... (the names the layout and LOGIN_URL already use)."""

from django.urls import path

from inloggen import sudo
from inloggen.views import activeren, herstellen, inloggen, profiel

urlpatterns = [
    path("inloggen/", inloggen.InloggenView.as_view(), name="inloggen"),
    path("inloggen/code/", inloggen.inloggen_code, name="inloggen_code"),
    path("bevestigen/", sudo.bevestigen, name="bevestigen"),
    path("uitloggen/", inloggen.UitloggenView.as_view(), name="uitloggen"),
    path("inloggen/vergeten/", herstellen.vergeten, name="vergeten"),
    path("inloggen/vergeten/gebruikersnaam/", herstellen.vergeten_gebruikersnaam, name="vergeten_gebruikersnaam"),
    path("inloggen/vergeten/wachtwoord/", herstellen.vergeten_wachtwoord, name="vergeten_wachtwoord"),
    path("inloggen/herstellen/<str:uidb64>/<str:token>/", herstellen.herstellen_link, name="herstellen_link"),
    path("inloggen/herstellen/", herstellen.herstellen, name="herstellen"),
    path("activeren/<str:token>/", activeren.activeren_link, name="activeren_link"),
    path("activeren/", activeren.activeren, name="activeren"),
    path("profiel/", profiel.profiel, name="profiel"),
    path("profiel/inloghistorie/", profiel.profiel_inloghistorie, name="inloghistorie"),
    path("profiel/machtigingen/", profiel.profiel_machtigingen, name="profiel_machtigingen"),
    path("profiel/e-mailadres/", profiel.profiel_email, name="profiel_email"),
    path("profiel/wachtwoord/", profiel.profiel_wachtwoord, name="profiel_wachtwoord"),
    path("profiel/taal/", profiel.profiel_taal, name="profiel_taal"),
]

# Not Beheermodule views: open to every signed-in person (profile) or to nobody signed in (log-in, recovery,
# activation). tests/inloggen/test_toegang.py checks every OTHER name in a Beheermodule namespace.
NIET_BEHEERMODULE = {f"beheer:{p.name}" for p in urlpatterns} | {"beheer:home"}

from django.urls import path

from groepen.views import acties, overzicht

app_name = "groepen"

urlpatterns = [
    path("", overzicht.overzicht, name="overzicht"),
    path("nieuw/", acties.aanmaken, name="aanmaken"),
    path("<int:groep_id>/", overzicht.groep, name="groep"),
    path("<int:groep_id>/hernoemen/", acties.hernoemen, name="hernoemen"),
    path("<int:groep_id>/verwijderen/", acties.verwijderen, name="verwijderen"),
    path("<int:groep_id>/leden/", acties.leden_toevoegen, name="leden_toevoegen"),
    path("<int:groep_id>/leden/<int:middel_id>/verwijderen/", acties.lid_verwijderen, name="lid_verwijderen"),
    path("<int:groep_id>/machtigingen/", acties.machtiging_toevoegen, name="machtiging_toevoegen"),
    path(
        "<int:groep_id>/machtigingen/<int:machtiging_id>/intrekken/",
        acties.machtiging_intrekken,
        name="machtiging_intrekken",
    ),
]

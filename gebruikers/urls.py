from gebruikers.views import machtigingen, mutaties, overzicht, toevoegen, wat_mag

app_name = "gebruikers"

urlpatterns = (
    overzicht.urlpatterns
    + toevoegen.urlpatterns
    + mutaties.urlpatterns
    + machtigingen.urlpatterns
    + wat_mag.urlpatterns
)

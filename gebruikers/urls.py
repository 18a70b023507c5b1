from gebruikers.views import machtigingen, mutaties, overzicht, toevoegen

app_name = "gebruikers"

urlpatterns = overzicht.urlpatterns + toevoegen.urlpatterns + mutaties.urlpatterns + machtigingen.urlpatterns

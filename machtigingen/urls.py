from machtigingen.views import overzicht, toevoegen

app_name = "machtigingen"

urlpatterns = overzicht.urlpatterns + toevoegen.urlpatterns

"""Rubriek Ketenmachtigingen: the verlener's side (afgegeven) and the intermediair's side (van relaties)."""

from ketenmachtigingen import urls_afgegeven, urls_relaties

app_name = "ketenmachtigingen"

urlpatterns = urls_afgegeven.urlpatterns + urls_relaties.urlpatterns

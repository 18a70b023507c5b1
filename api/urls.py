"""The Machtigingenregister API at the site root: /.well-known/authzen-configuration, /access/v1/…, /api/schema/,
/api/docs/, in django-ninja's namespace (`api`), which its docs page reverses.

django-ninja also adds an empty "api-root" pattern; at the site root it would shadow the Beheermodule's start
page, so it is left out (RegisterApi.get_root_path answers "/" instead)."""

from django.urls import path

from api.views import evaluatie_route, evaluaties_route, register_api

_patterns, _app, _namespace = register_api.urls
# The patterns themselves, not an include of them: one resolver level less for every question asked.
app_name = _namespace
# The two paths brokers ask on every log-in go to our own lean routes first (api.toegang.lean_route); django-ninja's
# operations for them (same paths and names) stay, for the OpenAPI document.
urlpatterns = [
    path("access/v1/evaluation", evaluatie_route, name="evaluatie"),
    path("access/v1/evaluations", evaluaties_route, name="evaluaties"),
    *(p for p in _patterns if p.name != "api-root"),
]

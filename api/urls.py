"""The Machtigingenregister API at the site root: /.well-known/authzen-configuration, /access/v1/…, /api/schema/,
/api/docs/. No app namespace here: django-ninja names its own (`api`), which its docs page reverses.

django-ninja also adds an empty "api-root" pattern; at the site root it would shadow the Beheermodule's start
page, so it is left out (RegisterApi.get_root_path answers "/" instead)."""

from django.urls import include, path

from api.views import register_api

_patterns, _app, _namespace = register_api.urls
urlpatterns = [path("", include(([p for p in _patterns if p.name != "api-root"], _app), namespace=_namespace))]

"""The WSGI application `bench.benchmarks.register_api` serves under gunicorn: the project's own URLs plus a bare
Django JSON endpoint, so both sides of the comparison run in the same processes, settings and middleware.

Configured by the environment the benchmark gives the subprocess (DATABASE_URL of the benchmark database,
persistent connections, no rate limit); the URLconf is this module, set before the first request. Only gunicorn
imports this module: importing it sets up Django and switches ROOT_URLCONF.
"""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.register_settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.http import JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

# The same path as bench.benchmarks.register_api.BARE_PATH (which cannot import this module).
BARE_PATH = "/bench/bare-decision"


@csrf_exempt
def bare_decision(request):
    """The least a Django JSON endpoint does: read the JSON body, answer a fixed decision."""
    data = json.loads(request.body or b"{}")
    return JsonResponse({"decision": False, "context": {"subject": bool(data.get("subject"))}})


urlpatterns = [path(BARE_PATH.lstrip("/"), bare_decision), path("", include("config.urls"))]
# Before any request, so the resolver is built once from this module (the bare path, then the project's URLs).
settings.ROOT_URLCONF = __name__

from common.process import freeze_what_was_loaded  # noqa: E402

freeze_what_was_loaded()  # as config.wsgi, for both sides

"""The API's docs page renders Swagger UI in a real browser, with every file from our own server."""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_render_the_api_from_our_own_static_files(page, live_server):
    verzoeken = []
    page.on("request", lambda request: verzoeken.append(request.url))
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").filter(has_text="Machtigingenregister").wait_for()
    assert page.locator(".opblock-summary-path", has_text="/access/v1/evaluation").count() >= 1
    eigen = urlparse(live_server.url).netloc
    vreemd = [u for u in verzoeken if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != eigen]
    assert not vreemd, vreemd

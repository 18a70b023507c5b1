"""The overview's search asks the path, so the pushed URL holds one search term (not ?q=a&q=b)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_search_field_gets_the_path_not_the_current_url(beheerder_client):
    url = reverse("gebruikers:overzicht")

    response = beheerder_client.get(url, {"q": "eerste"})

    assert response.status_code == 200
    html = response.content.decode()
    # hx-get="" would make htmx reuse the current URL (?q=eerste) and append the new term to it.
    assert f'hx-get="{url}" hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-get=""' not in html
    assert "{#" not in html and "comment %}" not in html  # the templates' notes stay out of the page

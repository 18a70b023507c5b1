"""The register API against its own OpenAPI document, fuzzed in-process by schemathesis (WSGI, no server).

Every operation gets generated requests valid by the document, sent with a real client token; each answer must
be no server error and conform to the document (status code, content type, headers, body).
Sized (MAX_EXAMPLES per operation) to stay well under a minute; runs on SQLite and PostgreSQL alike.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.clients import maak_client
from api.views import register_api

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _schema():
    # The document as /api/schema/ serves it, built without a request (no database at collection time);
    # the cases are sent to the WSGI application in-process, inside each test's transaction.
    loaded = schemathesis.openapi.from_dict(register_api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    # Positive requests only: the protocol deliberately ignores unknown fields (AuthZEN), which the negative
    # mode would flag; bodies it cannot read are covered by the 400 tests of the other modules.
    # No NUL characters in positive cases (allow_x00=False): the protocol refuses them with a 400 on every database
    # (PostgreSQL cannot store or compare such text), tested by test_a_nul_character_is_refused_with_400 below.
    loaded.config.generation.update(modes=["positive"], max_examples=MAX_EXAMPLES, deterministic=True, allow_x00=False)
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI handler closes the database connection after each request; in a test that would close the
    test's transaction (PostgreSQL). Django's own test client disconnects the same receivers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    return maak_client(naam="Schemathesis")[1]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_conforms_to_the_document(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_a_nul_character_is_refused_with_400(client, token):
    vraag = {
        "subject": {"type": "eherkenningsmiddel", "id": "00000000-0000-4000-8000-000000000000"},
        "resource": {"type": "dienst", "id": "0", "properties": {"kvk_nummer": "1234\x005678"}},
        "action": {"name": "inloggen"},
    }
    response = client.post(
        "/access/v1/evaluation",
        json.dumps(vraag),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["message"]

"""The invitation page /uitnodiging/<token>/ (R43, R47): plain layout without login, CSRF-protected; wrong
identities, expiry, reuse, withdrawal and locking."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from berichten.models import Bericht, Soort
from ketenmachtigingen import services
from ketenmachtigingen.models import Ketenmachtiging, Uitnodiging
from machtigingen.models import Scope
from tests.catalogus.factories import DienstFactory
from tests.ketenmachtigingen.relaties_helpers import (  # noqa: F401 (fixtures)
    GEBOREN,
    fixture_inter,
    fixture_inter_beheerder,
    fixture_inter_module,
    fixture_register,
    laatste_code,
    token_uit_outbox,
)

EMAIL = "klant@example.nl"


@pytest.fixture
def token(inter, inter_beheerder, inter_module, register):
    register.voeg_toe("11112222", "Bakkerij Klant", vertegenwoordigers=[("Jan de Vries", GEBOREN)])
    services.relatie_uitnodigen(
        actor=inter_beheerder,
        intermediair=inter,
        kvk_nummer="11112222",
        email=EMAIL,
        keuzes=[{"scope": Scope.ALGEMEEN, "niveau": 30}, {"scope": Scope.DIENST, "dienst": DienstFactory()}],
    )
    return token_uit_outbox(EMAIL)


def url(token):
    return reverse("uitnodiging:beantwoorden", args=[token])


IDENTITEIT = {
    "stap": "identiteit",
    "naam": "Jan de Vries",
    "geboortedatum_dag": "14",
    "geboortedatum_maand": "3",
    "geboortedatum_jaar": "1970",
}


def test_url_matches_the_link_in_the_email(token, settings):
    assert services.uitnodiging_link(token).endswith(url(token))


def test_r47_whole_answer_on_the_page_dropping_a_dienst(client, token, inter):
    r = client.get(url(token))
    assert r.status_code == 200
    assert "Accountants Vries vraagt u om een ketenmachtiging" in r.text and "Bakkerij Klant" in r.text
    assert 'class="bm-menu"' not in r.text  # the plain layout, no Beheermodule menu
    r = client.post(url(token), IDENTITEIT)
    assert r.status_code == 200 and 'data-testid="stap-code"' in r.text
    r = client.post(url(token), {"stap": "code", "code": laatste_code(EMAIL)})
    assert r.status_code == 200 and 'data-testid="stap-besluit"' in r.text
    u = Uitnodiging.objects.get()
    algemeen, _dienst = u.gevraagd.order_by("pk")
    r = client.post(url(token), {"stap": "toestemmen", "gekozen": [algemeen.pk]})
    assert r.status_code == 200 and "U heeft Accountants Vries een ketenmachtiging gegeven" in r.text
    [k] = Ketenmachtiging.objects.all()
    assert k.intermediair == inter and k.scope == Scope.ALGEMEEN
    assert Bericht.objects.filter(soort=Soort.UITNODIGING_BEANTWOORD).count() == 1
    r = client.get(url(token))  # used: says so, offers nothing
    assert r.status_code == 410 and "al beantwoord" in r.text and "<form" not in r.text.split("</header>")[-1]


def test_r47_consent_needs_the_code_in_this_browser(client, token):
    client.post(url(token), IDENTITEIT)
    Client().post(url(token), {"stap": "code", "code": laatste_code(EMAIL)})  # confirmed elsewhere
    u = Uitnodiging.objects.get()
    r = client.post(url(token), {"stap": "toestemmen", "gekozen": [g.pk for g in u.gevraagd.all()]})
    assert r.status_code == 400 and "Bevestig eerst uw identiteit" in r.text
    assert not Ketenmachtiging.objects.exists()


def test_r47_wrong_identity_then_locked(client, token):
    fout = {**IDENTITEIT, "naam": "Piet Puk"}
    for _i in range(services.MAX_POGINGEN - 1):
        r = client.post(url(token), fout)
        assert r.status_code == 400 and "horen niet bij een wettelijk vertegenwoordiger" in r.text
    r = client.post(url(token), fout)
    assert r.status_code == 410 and "geblokkeerd" in r.text
    assert client.get(url(token)).status_code == 410
    assert Uitnodiging.objects.get().status == Uitnodiging.Status.VERGRENDELD


def test_r47_wrong_code_refused(client, token):
    client.post(url(token), IDENTITEIT)
    code = laatste_code(EMAIL)
    r = client.post(url(token), {"stap": "code", "code": "999999" if code != "999999" else "111111"})
    assert r.status_code == 400 and "De code is niet juist" in r.text
    assert Uitnodiging.objects.get().mislukte_pogingen == 1


def test_r47_bad_date_input_is_a_clear_message(client, token):
    r = client.post(url(token), {**IDENTITEIT, "geboortedatum_maand": "13"})
    assert r.status_code == 400 and "bestaande datum" in r.text
    assert Uitnodiging.objects.get().mislukte_pogingen == 0


def test_r47_expired_withdrawn_unknown(client, token, inter, inter_beheerder):
    assert client.get(url("onbekend-token")).status_code == 404
    Uitnodiging.objects.update(verloopt_op=timezone.now() - dt.timedelta(seconds=1))
    r = client.get(url(token))
    assert r.status_code == 410 and "verlopen" in r.text
    Uitnodiging.objects.update(verloopt_op=timezone.now() + dt.timedelta(days=1))
    services.uitnodiging_intrekken(actor=inter_beheerder, intermediair=inter, uitnodiging=Uitnodiging.objects.get())
    r = client.post(url(token), IDENTITEIT)
    assert r.status_code == 410 and "ingetrokken" in r.text
    assert not Bericht.objects.filter(soort=Soort.UITNODIGING_CODE).exists()


def test_csrf_protected(csrf_client, token):
    assert csrf_client.post(url(token), IDENTITEIT).status_code == 403
    assert not Bericht.objects.filter(soort=Soort.UITNODIGING_CODE).exists()

"""Bad input on every form of every Beheermodule screen (issue #14), found rather than listed.

The URL resolver gives every screen; each is opened as a signed-in beheerder of a demo organisation (with ids of
that organisation's own objects, so the real forms render), as a page and as an HTMX pop-up. Every <form> found is
then sent hypothesis-generated values for its fields: the values it offers, mixed with unicode, control
characters, very long strings, odd numbers, dates like 31-02, empty values and lists. For every answer:
no server error; a refusal (4xx, a form error, an alert, a queued error message) carries readable text and leaves
the database exactly as it was (every table's rows hashed before and after).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gebruikers.models import Aanvraag, Koppeling, Persoon
from groepen.models import Groep, GroepLid, GroepMachtiging
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel, Uitnodiging
from machtigingen.models import Machtiging, Scope
from organisaties.models import Organisatie
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.robuustheid.conftest import (
    heeft_duidelijke_tekst,
    is_weigering,
    veldwaarde,
    verschil,
    vingerafdruk,
    voorbeeld_in_savepoint,
)
from tests.robuustheid.formulieren import formulieren, schermen

# Examples per form: ~80 screens, ~45 distinct forms; sized to keep this module near a minute.
VOORBEELDEN = 10

SCHERMEN = schermen()
# Santos B.V. (Joost Bakker): gebruikers, machtigingen, groepen, afgegeven ketenmachtigingen, instellingen.
# Accountants Vries (Vries): the intermediair, with the ketenmachtigingen module, invitations and received ones.
PERSONAS = {"santos": ("jbakker", "12345678"), "intermediair": (None, "47474747")}

# Forms already fuzzed in this run (the organisation switch is on every page, and both personas see the gebruikers
# screens): (method, the action's URL name, field names).
_GEDAAN = set()


def _beheerder(kvk):
    org = Organisatie.objects.get(kvk_nummer=kvk)
    return org, Persoon.objects.filter(
        middel__koppelingen__organisatie=org, middel__koppelingen__rol=Koppeling.Rol.BEHEERDER
    ).order_by("pk").first()


def _ids(naam: str, org, ik) -> dict:
    """Ids of the organisation's own objects for every parameter a screen may take (None: none there)."""
    mm = Machtiging.objects.filter(organisatie=org).exclude(middel__persoon=ik).order_by("pk").first()
    persoon = (
        mm.middel.persoon
        if mm
        else Persoon.objects.filter(middel__koppelingen__organisatie=org).exclude(pk=ik.pk).order_by("pk").first()
    )
    groep = Groep.objects.filter(organisatie=org).order_by("-pk").first()
    lid = GroepLid.objects.filter(groep=groep).first()
    gm = GroepMachtiging.objects.filter(groep=groep).first()
    afgegeven = Ketenmachtiging.objects.filter(verlener=org).order_by("pk").first()
    ontvangen = Ketenmachtiging.objects.filter(intermediair=org).order_by("pk").first()
    koppeling = KetenmachtigingMiddel.objects.filter(ketenmachtiging=ontvangen).first()
    dienst_m = Machtiging.objects.filter(organisatie=org, scope=Scope.DIENST).first()
    waarden = {
        "persoon_id": persoon and persoon.pk,
        "machtiging_id": (gm and gm.pk) if naam.startswith("groepen:") else (mm and mm.pk),
        "groep_id": groep and groep.pk,
        "middel_id": (koppeling and koppeling.middel_id)
        if naam.startswith("keten")
        else (lid and lid.koppeling.middel_id),
        "intermediair_id": afgegeven and afgegeven.intermediair_id,
        "ketenmachtiging_id": (ontvangen if "ontvangen" in naam else afgegeven),
        "uitnodiging_id": Uitnodiging.objects.filter(intermediair=org, status=Uitnodiging.Status.OPEN).first(),
        "aanvraag_id": Aanvraag.objects.filter(organisatie=org).order_by("-pk").first(),
        "soort": Scope.DIENST,
        "waarde": dienst_m and dienst_m.dienst_id,
    }
    return {k: getattr(v, "pk", v) for k, v in waarden.items()}


def _url(naam, converters, org, ik):
    ids = _ids(naam, org, ik)
    kwargs = {}
    for param in converters:
        if ids.get(param) is None:
            return None
        kwargs[param] = ids[param]
    return reverse(naam, kwargs=kwargs)


def _bestand():
    namen = st.sampled_from(["id.png", "id.pdf", "x.jpg", "relaties.csv", "relaties.xlsx", "geen-extensie", "a.exe"])
    return st.builds(lambda n, b: SimpleUploadedFile(n, b), namen, st.binary(max_size=300))


def _strategie(formulier):
    velden = {}
    for veld in formulier.velden.values():
        if veld.soort == "file":
            velden[veld.naam] = _bestand()
        elif veld.soort == "submit":
            velden[veld.naam] = st.sampled_from(veld.waarden)
        else:
            velden[veld.naam] = veldwaarde(veld.waarden)
    # Mostly every field present (so the hostile value reaches the checks behind the required ones), else any subset.
    return st.one_of(
        st.fixed_dictionaries(velden), st.fixed_dictionaries(velden), st.fixed_dictionaries({}, optional=velden)
    )


def _opruimen(client):
    """Only the session stays between examples: a language or messages cookie would leak into the next one."""
    from django.conf import settings as dj

    for naam in list(client.cookies):
        if naam != dj.SESSION_COOKIE_NAME:
            del client.cookies[naam]


def _stuur(client, formulier, data):
    headers = {"HTTP_HX_REQUEST": "true"} if formulier.htmx else {}
    if formulier.methode == "get":
        return client.get(formulier.actie, data, **headers)
    return client.post(formulier.actie, data, **headers)


def _fuzz(client, formulier, ruis):
    beschrijving = f"{formulier.methode.upper()} {formulier.actie} {sorted(formulier.velden)}"

    @settings(
        max_examples=VOORBEELDEN,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_strategie(formulier))
    def voorbeeld(data):
        def stap():
            voor = vingerafdruk(ruis)
            try:
                response = _stuur(client, formulier, data)
            finally:
                _opruimen(client)
            return response, verschil(voor, vingerafdruk(ruis))

        response, veranderd = voorbeeld_in_savepoint(stap)
        assert response.status_code < 500, (beschrijving, data, response.status_code)
        if is_weigering(response):
            event("refused")
            assert heeft_duidelijke_tekst(response), (beschrijving, data, response.status_code, "refusal without text")
            assert not veranderd, (beschrijving, data, "refused, yet changed", veranderd)
        else:
            event("accepted" if veranderd else "no change")

    voorbeeld()


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize(("naam", "converters"), SCHERMEN, ids=[n for n, _ in SCHERMEN])
def test_every_form_survives_bad_input(demo, db, client, persona, naam, converters):
    org, ik = _beheerder(PERSONAS[persona][1])
    inloggen_geverifieerd(client, ik)
    client.post(reverse("beheer:wissel_organisatie"), {"organisatie": org.pk})
    url = _url(naam, converters, org, ik)
    if url is None:
        pytest.skip(f"no object of {org} for {naam}")
    gevonden = {}
    voor = vingerafdruk()
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(url, **headers)
        assert response.status_code < 500
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for f in formulieren(response.content.decode(), url):
                gevonden.setdefault(f.sleutel, f)
    # Tables a plain GET writes (last seen, counters) are not the change a form makes.
    ruis = frozenset(verschil(voor, vingerafdruk()))
    nieuw = {_soort(f): f for f in gevonden.values()}
    nieuw = [f for k, f in nieuw.items() if k not in _GEDAAN]
    if not nieuw:
        return  # its forms were fuzzed on an earlier screen; the GETs above still had to answer
    for formulier in nieuw:
        _GEDAAN.add(_soort(formulier))
        _fuzz(client, formulier, ruis)


def _soort(formulier):
    methode, pad, velden = formulier.sleutel
    return methode, resolve(pad).view_name, velden


def test_an_id_beyond_64_bits_is_refused_not_a_server_error(demo, db, client):
    inloggen_geverifieerd(client, Persoon.objects.get(username="jbakker"))
    response = client.get(reverse("machtigingen:kies_gebruikers"), {"dienst": str(2**64)})
    assert response.status_code < 500

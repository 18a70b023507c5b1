"""Messages of a bulk step are written as their context and rendered at delivery (berichten.outbox
`plaats_in_bulk`, `Plaatsing.bij_bezorging`): the person reads exactly what rendering at placement gives."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from berichten.bezorging import (
    NietSerialiseerbaar,
    Uitkomst,
    bericht_bezorgen,
    context_naar_json,
    context_tekst,
    context_uit_json,
)
from berichten.meldingen.machtigingen import Wijziging
from berichten.models import Bericht, Soort
from berichten.outbox import Plaatsing, plaats_alle, plaats_in_bulk
from tests.gebruikers.factories import PersoonFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


def _plaatsing(persoon, organisatie, **kwargs) -> Plaatsing:
    return Plaatsing(
        soort=Soort.MACHTIGINGEN_GEWIJZIGD,
        ontvanger=persoon.email,
        context={
            "persoon": persoon,
            "organisatie": organisatie,
            "wijzigingen": [
                Wijziging.toegevoegd("Gemeente Haarlem – Vergunning <b>&</b> meer", dt.date(2029, 12, 2)),
                Wijziging.einddatum("Algemene bevoegdheid EH3", "02-12-2029"),
            ],
        },
        taal=persoon.taal,
        persoon_id=persoon.pk,
        organisatie_id=organisatie.pk,
        **kwargs,
    )


@pytest.mark.parametrize("taal", ["nl", "en"])
def test_r37_rendered_at_delivery_reads_as_rendered_at_placement(taal):
    persoon = PersoonFactory(taal=taal, voornamen="Sanne", achternaam="Veenstra")
    organisatie = OrganisatieFactory(naam="Santos B.V.")
    (nu_gerenderd,) = plaats_alle([_plaatsing(persoon, organisatie)])
    assert plaats_in_bulk([_plaatsing(persoon, organisatie)]) == 1
    later = Bericht.objects.exclude(pk=nu_gerenderd.pk).get()
    # Stored as its context only, until delivery.
    assert (later.onderwerp, later.tekst, later.html) == ("", "", "")
    assert later.context is not None

    assert bericht_bezorgen(bericht_id=later.pk) == (Uitkomst.VERZONDEN, None)
    later.refresh_from_db()
    assert (later.onderwerp, later.tekst, later.html) == (nu_gerenderd.onderwerp, nu_gerenderd.tekst, nu_gerenderd.html)
    assert later.context is None and later.status == Bericht.Status.SENT
    (verzonden,) = mail.outbox
    assert verzonden.body == nu_gerenderd.tekst and verzonden.subject == nu_gerenderd.onderwerp
    # The person's language, and names escaped in HTML only.
    assert ("Beste S. Veenstra" if taal == "nl" else "S. Veenstra") in later.tekst
    assert "Vergunning <b>&</b> meer" in later.tekst
    assert "Vergunning &lt;b&gt;&amp;&lt;/b&gt; meer" in later.html


def test_r37_bij_bezorging_in_plaats_alle_also_renders_at_delivery():
    persoon = PersoonFactory(taal="nl")
    organisatie = OrganisatieFactory()
    (bericht,) = plaats_alle([_plaatsing(persoon, organisatie, bij_bezorging=True)])
    assert bericht.pk and bericht.tekst == "" and bericht.context
    bericht_bezorgen(bericht_id=bericht.pk)
    bericht.refresh_from_db()
    assert "Uw machtigingen voor" in bericht.tekst and bericht.onderwerp == "Uw machtigingen zijn gewijzigd"


def test_r37_a_rendered_message_is_not_rendered_again_on_a_retry(settings):
    persoon = PersoonFactory(taal="nl")
    plaats_in_bulk([_plaatsing(persoon, OrganisatieFactory())])
    bericht = Bericht.objects.get()
    settings.EMAIL_BACKEND = "tests.berichten.test_bij_bezorging.KapotteBackend"
    uitkomst, _wacht = bericht_bezorgen(bericht_id=bericht.pk)
    assert uitkomst == Uitkomst.TIJDELIJK_MISLUKT
    bericht.refresh_from_db()
    # Rendered at the first attempt and kept: a later attempt (or support's resend) sends this text.
    assert bericht.tekst and bericht.context is None
    persoon.achternaam = "Anders"
    persoon.save()
    Bericht.objects.filter(pk=bericht.pk).update(volgende_poging_op=None, status=Bericht.Status.QUEUED)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert bericht_bezorgen(bericht_id=bericht.pk)[0] == Uitkomst.VERZONDEN
    assert "Anders" not in mail.outbox[0].body


class KapotteBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_r37_delivered_after_commit(django_capture_on_commit_callbacks):
    personen = [PersoonFactory(taal="nl") for _ in range(3)]
    organisatie = OrganisatieFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert plaats_in_bulk([_plaatsing(p, organisatie) for p in personen]) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in personen)
    assert not Bericht.objects.exclude(status=Bericht.Status.SENT).exists()


def test_plaats_in_bulk_is_idempotent_per_sleutel():
    persoon = PersoonFactory()
    organisatie = OrganisatieFactory()
    assert plaats_in_bulk([_plaatsing(persoon, organisatie, sleutel="stap-1")]) == 1
    assert plaats_in_bulk([_plaatsing(persoon, organisatie, sleutel="stap-1")]) == 0
    assert Bericht.objects.filter(sleutel="stap-1").count() == 1


def test_plaats_in_bulk_skips_people_without_an_address():
    persoon = PersoonFactory(email="")
    assert plaats_in_bulk([_plaatsing(persoon, OrganisatieFactory())]) == 0
    assert not Bericht.objects.exists()


def test_context_round_trip_of_models_dates_and_lazy_texts():
    persoon = PersoonFactory()
    moment = dt.datetime(2026, 12, 2, 8, 30, tzinfo=dt.UTC)
    data = context_naar_json(
        {
            "persoon": persoon,
            "dag": dt.date(2026, 12, 24),
            "moment": moment,
            "tekst": gettext_lazy("Met vriendelijke groet,"),
            "lijst": [1, "twee", None, True],
            "genest": {"persoon": persoon},
        }
    )
    assert json.loads(json.dumps(data)) == data
    with translation.override("en"):
        terug = context_uit_json(data)
    assert terug["persoon"] == persoon and terug["genest"]["persoon"] == persoon
    assert (terug["dag"], terug["moment"], terug["lijst"]) == (dt.date(2026, 12, 24), moment, [1, "twee", None, True])
    assert terug["tekst"] == "Kind regards,"


def test_a_value_shared_by_the_contexts_of_one_step_is_encoded_once(monkeypatch):
    import berichten.bezorging as bezorging

    regels = [Wijziging.toegevoegd("Parkeervergunning", dt.date(2031, 12, 4))]
    eerste, tweede = PersoonFactory(), PersoonFactory()
    contexten = [{"persoon": p, "wijzigingen": regels, "n": 3} for p in (eerste, tweede)]
    omgezet = []
    echte = bezorging.context_naar_json
    monkeypatch.setattr(bezorging, "context_naar_json", lambda w: omgezet.append(w) or echte(w))
    gedeeld: dict = {}
    teksten = [context_tekst(c, gedeeld) for c in contexten]
    # The shared list converted for the first context only, and the same JSON as encoding each context whole.
    assert sum(w is regels for w in omgezet) == 1
    assert [json.loads(t) for t in teksten] == [json.loads(json.dumps(echte(c))) for c in contexten]
    with pytest.raises(NietSerialiseerbaar):
        context_tekst({"$model": "x"}, gedeeld)


@pytest.mark.parametrize(
    "waarde",
    # A safe string would be escaped when rendered later; a choice would lose its label: both render now.
    [object(), {1: "a"}, {"$model": "x"}, b"bytes", mark_safe("<b>vet</b>"), Bericht.Status.QUEUED],
)
def test_context_that_cannot_wait_is_refused_at_placement(waarde):
    with pytest.raises(NietSerialiseerbaar):
        context_naar_json({"x": waarde})


def test_an_unsaved_model_cannot_wait_for_delivery():
    from gebruikers.models import Persoon

    with pytest.raises(NietSerialiseerbaar):
        context_naar_json({"persoon": Persoon(username="nieuw")})


def test_a_context_naming_a_class_outside_berichten_fails_the_message_for_good():
    persoon = PersoonFactory()
    plaats_in_bulk([_plaatsing(persoon, OrganisatieFactory())])
    bericht = Bericht.objects.get()
    Bericht.objects.filter(pk=bericht.pk).update(context={"x": {"$obj": "os:system", "w": ["true"]}})
    assert bericht_bezorgen(bericht_id=bericht.pk) == (Uitkomst.DEFINITIEF_MISLUKT, None)
    assert not mail.outbox

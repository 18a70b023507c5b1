"""The aanvragen queue in the admin: Goedkeuren / Afkeuren one at a time and in bulk, through the services
(R13, R18), the full content incl. the ID document for staff only, filters, ordering and pinned query counts."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import get_resolver, reverse
from django.utils import timezone

from audit.acties import Actie
from audit.models import AuditEntry
from common.dates import vandaag
from gebruikers.models import Aanvraag, Koppeling, Middel
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers.helpers import PNG, adres, id_document, upload
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

from .conftest import aanvraag_voor

pytestmark = pytest.mark.django_db

LIJST = reverse("admin:gebruikers_aanvraag_changelist")
# Session, user, aanvraag with everything it shows (one join), permissions (2), organisation names of the
# request, the Beheermodule's context processor, session save (3), the OTP device of the verified session.
PINNED_CHANGE_VIEW = 11


def wijzig(aanvraag):
    return reverse("admin:gebruikers_aanvraag_change", args=[aanvraag.pk])


def goedkeuren(aanvraag):
    return reverse("admin:gebruikers_aanvraag_goedkeuren", args=[aanvraag.pk])


def afkeuren(aanvraag):
    return reverse("admin:gebruikers_aanvraag_afkeuren", args=[aanvraag.pk])


def meldingen(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Goedkeuren / Afkeuren on the change view


def test_r18_goedkeuren_makes_middel_wachten_op_activatie_for_30_days(medewerker_client, nieuwe_aanvraag, medewerker):
    response = medewerker_client.post(goedkeuren(nieuwe_aanvraag))
    assert response.status_code == 302 and response["Location"] == wijzig(nieuwe_aanvraag)
    nieuwe_aanvraag.refresh_from_db()
    middel = nieuwe_aanvraag.middel
    middel.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.GOEDGEKEURD and nieuwe_aanvraag.behandeld_door == medewerker
    assert middel.status == Middel.Status.WACHTEN_OP_ACTIVATIE
    assert middel.activeren_tot == vandaag() + dt.timedelta(days=30)
    tekst = f"Activeren mogelijk tot {middel.activeren_tot:%d-%m-%Y}"
    assert any(tekst in m for m in meldingen(response))
    assert tekst in medewerker_client.get(wijzig(nieuwe_aanvraag)).content.decode()
    # Through the domain layer: the service's audit entry names the staff member (R74).
    assert AuditEntry.objects.filter(actie=Actie.AANVRAAG_GOEDGEKEURD, actor=medewerker).count() == 1


def test_r18_goedkeuren_twice_shows_the_domain_error_and_changes_nothing(medewerker_client, nieuwe_aanvraag):
    medewerker_client.post(goedkeuren(nieuwe_aanvraag))
    eerste = Middel.objects.get(pk=nieuwe_aanvraag.middel_id).goedgekeurd_op
    response = medewerker_client.post(goedkeuren(nieuwe_aanvraag), follow=True)
    assert "Deze aanvraag is al behandeld." in response.content.decode()
    assert Middel.objects.get(pk=nieuwe_aanvraag.middel_id).goedgekeurd_op == eerste


def test_goedkeuren_is_post_only(medewerker_client, nieuwe_aanvraag):
    assert medewerker_client.get(goedkeuren(nieuwe_aanvraag)).status_code == 405
    nieuwe_aanvraag.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.IN_BEHANDELING


def test_r18_afkeuren_asks_a_reason_then_the_aanvraag_disappears(medewerker_client, nieuwe_aanvraag):
    pagina = medewerker_client.get(afkeuren(nieuwe_aanvraag))
    assert pagina.status_code == 200 and "Reden van afkeuring" in pagina.content.decode()
    leeg = medewerker_client.post(afkeuren(nieuwe_aanvraag), {"reden": "  "})
    assert leeg.status_code == 200 and 'aria-invalid="true"' in leeg.content.decode()
    nieuwe_aanvraag.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.IN_BEHANDELING

    response = medewerker_client.post(afkeuren(nieuwe_aanvraag), {"reden": "Kopie paspoort onleesbaar"})
    assert response.status_code == 302
    nieuwe_aanvraag.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.AFGEKEURD
    assert nieuwe_aanvraag.reden_afkeuring == "Kopie paspoort onleesbaar"
    assert Middel.objects.get(pk=nieuwe_aanvraag.middel_id).status == Middel.Status.AFGEKEURD
    # The requested koppeling ends, so the person leaves the beheerder's overview.
    assert not Koppeling.objects.filter(middel_id=nieuwe_aanvraag.middel_id).exclude(status="beeindigd").exists()


def test_buttons_only_for_open_aanvragen_and_for_who_may_handle_them(
    medewerker_client, nieuwe_aanvraag, client, staff_zonder_rechten
):
    html = medewerker_client.get(wijzig(nieuwe_aanvraag)).content.decode()
    assert goedkeuren(nieuwe_aanvraag) in html and afkeuren(nieuwe_aanvraag) in html
    assert 'name="_save"' not in html  # the form itself is read-only
    medewerker_client.post(goedkeuren(nieuwe_aanvraag))
    assert goedkeuren(nieuwe_aanvraag) not in medewerker_client.get(wijzig(nieuwe_aanvraag)).content.decode()


def test_staff_without_permission_gets_403_and_others_the_login(
    client, staff_zonder_rechten, nieuwe_aanvraag, beheerder
):
    inloggen_geverifieerd(client, staff_zonder_rechten)
    assert client.post(goedkeuren(nieuwe_aanvraag)).status_code == 403
    assert client.post(afkeuren(nieuwe_aanvraag), {"reden": "x"}).status_code == 403
    inloggen_geverifieerd(client, beheerder)  # a beheerder is no staff: the admin sends them to its login
    response = client.post(goedkeuren(nieuwe_aanvraag))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    client.logout()
    assert client.post(goedkeuren(nieuwe_aanvraag)).status_code == 302
    nieuwe_aanvraag.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.IN_BEHANDELING


# --- Bulk actions


def test_r18_bulk_goedkeuren_reports_each_failure_and_approves_the_rest(
    medewerker_client, beheerder, organisatie, tarieven
):
    aanvragen = [aanvraag_voor(beheerder, organisatie, n) for n in range(3)]
    Aanvraag.objects.filter(pk=aanvragen[1].pk).update(status=Aanvraag.Status.AFGEKEURD)
    response = medewerker_client.post(
        LIJST, {"action": "goedkeuren", "_selected_action": [a.pk for a in aanvragen]}, follow=True
    )
    teksten = meldingen(response)
    assert any("2 aanvragen goedgekeurd." in t for t in teksten)
    assert any("Deze aanvraag is al behandeld." in t for t in teksten)
    assert Middel.objects.filter(status=Middel.Status.WACHTEN_OP_ACTIVATIE).count() == 2


def test_r18_bulk_afkeuren_asks_the_reason_once(medewerker_client, beheerder, organisatie, tarieven):
    aanvragen = [aanvraag_voor(beheerder, organisatie, n) for n in range(2)]
    ids = [a.pk for a in aanvragen]
    pagina = medewerker_client.post(LIJST, {"action": "afkeuren", "_selected_action": ids})
    assert pagina.status_code == 200 and "Reden van afkeuring" in pagina.content.decode()
    assert Aanvraag.objects.filter(status=Aanvraag.Status.IN_BEHANDELING).count() == 2
    response = medewerker_client.post(
        LIJST, {"action": "afkeuren", "_selected_action": ids, "reden": "Dubbele aanvraag"}, follow=True
    )
    assert any("2 aanvragen afgekeurd." in t for t in meldingen(response))
    assert set(Aanvraag.objects.values_list("reden_afkeuring", flat=True)) == {"Dubbele aanvraag"}


def test_bulk_actions_need_the_change_permission(client, staff_zonder_rechten, nieuwe_aanvraag):
    from django.contrib.auth.models import Permission

    staff_zonder_rechten.user_permissions.add(Permission.objects.get(codename="view_aanvraag"))
    inloggen_geverifieerd(client, staff_zonder_rechten)
    client.post(LIJST, {"action": "goedkeuren", "_selected_action": [nieuwe_aanvraag.pk]})
    nieuwe_aanvraag.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.IN_BEHANDELING


# --- The queue: ordering, filters, search, query counts


def test_r13_queue_spoed_first_then_oldest(medewerker_client, beheerder, organisatie, tarieven):
    oud, nieuw, spoed = (aanvraag_voor(beheerder, organisatie, n) for n in range(3))
    nu = timezone.now()
    Aanvraag.objects.filter(pk=oud.pk).update(aangevraagd_op=nu - dt.timedelta(days=3))
    Aanvraag.objects.filter(pk=nieuw.pk).update(aangevraagd_op=nu - dt.timedelta(hours=1))
    Aanvraag.objects.filter(pk=spoed.pk).update(aangevraagd_op=nu, spoed=True)
    volgorde = [a.pk for a in medewerker_client.get(LIJST).context["cl"].result_list]
    assert volgorde == [spoed.pk, oud.pk, nieuw.pk]


def test_filters_by_age_organisation_soort_and_search(medewerker_client, beheerder, organisatie, tarieven):
    vandaag_, week, oud = (aanvraag_voor(beheerder, organisatie, n) for n in range(3))
    nu = timezone.now()
    Aanvraag.objects.filter(pk=week.pk).update(aangevraagd_op=nu - dt.timedelta(days=3))
    Aanvraag.objects.filter(pk=oud.pk).update(aangevraagd_op=nu - dt.timedelta(days=10))
    ander = OrganisatieFactory(naam="Andere B.V.", kvk_nummer="87654321")
    KoppelingFactory(organisatie=ander, middel=beheerder.middel, beheerder=True)
    elders = aanvraag_voor(beheerder, ander, 9)

    def ids(**params):
        return {a.pk for a in medewerker_client.get(LIJST, params).context["cl"].result_list}

    assert ids(leeftijd="nieuw") == {vandaag_.pk, elders.pk}
    assert ids(leeftijd="week") == {week.pk}
    assert ids(leeftijd="ouder") == {oud.pk}
    assert ids(organisatie="87654321") == {elders.pk}
    assert ids(organisatie="andere") == {elders.pk}
    assert ids(soort__exact="koppeling") == set()
    assert ids(q="Persoon9") == {elders.pk}
    assert ids(q="87654321") == {elders.pk}
    assert ids(q="p1@example.com") == {week.pk}


def test_changelist_query_count_does_not_grow(medewerker_client, beheerder, organisatie, tarieven, tel_queries):
    aanvraag_voor(beheerder, organisatie, 0)
    medewerker_client.get(LIJST)
    een = tel_queries(lambda: medewerker_client.get(LIJST))
    for n in range(1, 30):
        aanvraag_voor(beheerder, organisatie, n)
    dertig = tel_queries(lambda: medewerker_client.get(LIJST))
    assert len(medewerker_client.get(LIJST).context["cl"].result_list) == 30
    assert een == dertig


def test_change_view_query_count_is_pinned(medewerker_client, nieuwe_aanvraag, django_assert_num_queries):
    medewerker_client.get(wijzig(nieuwe_aanvraag))
    with django_assert_num_queries(PINNED_CHANGE_VIEW):
        assert medewerker_client.get(wijzig(nieuwe_aanvraag)).status_code == 200


# --- The whole content, and the ID document for staff only


def test_change_view_shows_the_whole_request_legibly(medewerker_client, nieuwe_aanvraag):
    html = medewerker_client.get(wijzig(nieuwe_aanvraag)).content.decode()
    for verwacht in (
        "Katarina",
        "Bulters",
        "01-03-1990",
        "katarina.bulters@example.com",
        "Paspoort",
        "NXC4R8KL2",
        "Identificatieadres",
        "Stationsplein",
        "SMS",
        "+31612345678",
        "1 jaar",
        "Santos B.V.",
        "€\u00a041,00",
        "Totaal (excl. btw)",
        "Voorzijde downloaden",
    ):
        assert verwacht in html, verwacht
    assert "Achterzijde downloaden" not in html  # a passport has one side


def test_id_document_streams_as_attachment_for_staff_with_permission(
    medewerker_client, beheerder, organisatie, tarieven, medewerker
):
    aanvraag = aanvraag_voor(
        beheerder,
        organisatie,
        1,
        id_document=id_document(
            type="identiteitskaart", voorzijde=upload("voor.png", PNG), achterzijde=upload("achter.png", PNG)
        ),
        identificatieadres=adres(),
    )
    url = reverse("admin:gebruikers_aanvraag_id_document", args=[aanvraag.pk, "achterzijde"])
    response = medewerker_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    assert AuditEntry.objects.filter(actie=Actie.AANVRAAG_ID_DOCUMENT_GEDOWNLOAD, actor=medewerker).exists()
    assert (
        medewerker_client.get(reverse("admin:gebruikers_aanvraag_id_document", args=[aanvraag.pk, "x"])).status_code
        == 404
    )


def test_id_document_refused_without_permission_or_staff(client, staff_zonder_rechten, beheerder, nieuwe_aanvraag):
    url = reverse("admin:gebruikers_aanvraag_id_document", args=[nieuwe_aanvraag.pk, "voorzijde"])
    inloggen_geverifieerd(client, staff_zonder_rechten)
    assert client.get(url).status_code == 403
    inloggen_geverifieerd(client, beheerder)
    response = client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_no_public_url_serves_the_private_media(client, nieuwe_aanvraag, settings):
    from django.views.static import serve

    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"  # unused
    assert nieuwe_aanvraag.id_document_voorzijde.storage.base_url in (None, "", "/")

    def views(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from views(p.url_patterns)
            else:
                yield p.callback

    assert serve not in set(views(get_resolver().url_patterns))
    assert client.get("/" + nieuwe_aanvraag.id_document_voorzijde.name).status_code == 404


def test_r15_support_downloads_the_eh2plus_activation_letter(medewerker_client, django_capture_on_commit_callbacks):
    from common.niveau import Niveau
    from gebruikers import services
    from tests.gebruikers.factories import KoppelingFactory
    from tests.gebruikers.helpers import aanvraag_kwargs

    koppeling = KoppelingFactory(beheerder=True)
    aanvraag = services.middel_aanvragen(
        **aanvraag_kwargs(
            koppeling.middel.persoon, koppeling.organisatie, niveau=Niveau.EH2_PLUS, identificatieadres=None
        )
    )
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        medewerker_client.post(reverse("admin:gebruikers_aanvraag_goedkeuren", args=[aanvraag.pk]))
    response = medewerker_client.get(reverse("admin:gebruikers_aanvraag_activatiebrief", args=[aanvraag.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert (
        "Activatiebrief (PDF)"
        in medewerker_client.get(reverse("admin:gebruikers_aanvraag_change", args=[aanvraag.pk])).content.decode()
    )

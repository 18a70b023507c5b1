"""Ketenmachtiging module steps (R43), tariffs (R17), catalogue and Handelsregister uploads (R70), the audit
trail (R74) and what a support account may and may not do."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from audit.services import audit_log
from catalogus.models import CatalogusImport, Dienst
from common.export import formule_veilig as csv_veilig
from facturatie.models import Tarief
from handelsregister.models import Inschrijving
from ketenmachtigingen.models import KetenModule
from tests.gebruikers.factories import KoppelingFactory, PersoonFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

from .conftest import groep_migratie

pytestmark = pytest.mark.django_db

CATALOGUS = Path(__file__).resolve().parents[2] / "catalogus" / "data" / "dienstencatalogus.xml"
HANDELSREGISTER = Path(__file__).resolve().parents[2] / "handelsregister" / "data" / "handelsregister.json"


def meldingen(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- R43: the ketenmachtiging module


@pytest.fixture
def module(tarieven):
    org = OrganisatieFactory(naam="Intermediair B.V.", kvk_nummer="11223344")
    KoppelingFactory(organisatie=org, beheerder=True)
    return KetenModule.objects.create(organisatie=org, spoed=True)


def stap(module, naam):
    return reverse(f"admin:ketenmachtigingen_ketenmodule_{naam}", args=[module.pk])


def test_r43_offerte_acceptatie_inschakelen_in_order(medewerker_client, module, medewerker):
    wijzig = reverse("admin:ketenmachtigingen_ketenmodule_change", args=[module.pk])
    assert "Offerte versturen" in medewerker_client.get(wijzig).content.decode()
    response = medewerker_client.post(stap(module, "offerte_versturen"))
    module.refresh_from_db()
    assert module.status == KetenModule.Status.OFFERTE_VERSTUURD
    assert any("Offerte KM-11223344-" in m for m in meldingen(response))

    pdf = medewerker_client.get(stap(module, "offerte_pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Disposition"].startswith("attachment;")

    assert "Acceptatie vastleggen" in medewerker_client.get(wijzig).content.decode()
    medewerker_client.post(stap(module, "acceptatie"), {"toelichting": "per e-mail van J. Bakker"})
    module.refresh_from_db()
    assert module.status == KetenModule.Status.GEACCEPTEERD
    entry = AuditEntry.objects.get(actie=Actie.KETENMODULE_OFFERTE_GEACCEPTEERD)
    assert entry.actor == medewerker and "per e-mail van J. Bakker" in entry.omschrijving

    medewerker_client.post(stap(module, "inschakelen"))
    module.refresh_from_db()
    assert module.status == KetenModule.Status.INGESCHAKELD


def test_r43_offerte_is_emailed_as_pdf_to_the_intermediairs_beheerders(
    medewerker_client, module, mailoutbox, django_capture_on_commit_callbacks
):
    from berichten.models import Bericht

    with django_capture_on_commit_callbacks(execute=True):
        medewerker_client.post(stap(module, "offerte_versturen"))

    bericht = Bericht.objects.get(soort="offerte_ketenmodule")
    assert bericht.status == Bericht.Status.SENT  # eager Celery in tests: delivered after commit
    (mail,) = mailoutbox
    assert mail.subject.startswith("Offerte KM-11223344-")
    ((naam, inhoud, soort),) = mail.attachments
    assert naam.endswith(".pdf") and soort == "application/pdf" and inhoud.startswith(b"%PDF")


def test_r43_inschakelen_before_acceptance_is_refused_with_a_message(medewerker_client, module):
    response = medewerker_client.post(stap(module, "inschakelen"), follow=True)
    assert "Dit kan niet in de huidige status van de module" in response.content.decode()
    module.refresh_from_db()
    assert module.status == KetenModule.Status.AANGEVRAAGD


def test_r17_sent_offerte_keeps_the_amount_of_the_day_it_was_sent(medewerker_client, module):
    from support.services import verstuurde_offerte

    medewerker_client.post(stap(module, "offerte_versturen"))
    Tarief.objects.filter(code="ketenmachtiging", periode="1").update(bedrag=Decimal("99.00"))
    assert verstuurde_offerte(module=module).bedrag_per_jaar == Decimal("19.95")


def test_module_steps_need_permission_and_post(client, staff_zonder_rechten, medewerker_client, module):
    assert medewerker_client.get(stap(module, "offerte_versturen")).status_code == 405
    inloggen_geverifieerd(client, staff_zonder_rechten)
    assert client.post(stap(module, "offerte_versturen")).status_code == 403
    assert client.get(stap(module, "offerte_pdf")).status_code == 403
    module.refresh_from_db()
    assert module.status == KetenModule.Status.AANGEVRAAGD


# --- R17: tariffs


def test_r17_r74_tarief_edited_in_the_list_is_audited(medewerker_client, tarieven, medewerker):
    tarief = Tarief.objects.get(code="middel_eh3", periode="1")
    url = reverse("admin:facturatie_tarief_changelist")
    rijen = list(Tarief.objects.order_by("code", "periode"))
    data = {
        "form-TOTAL_FORMS": str(len(rijen)),
        "form-INITIAL_FORMS": str(len(rijen)),
        "_save": "Opslaan",
    }
    for i, t in enumerate(rijen):
        data[f"form-{i}-id"] = str(t.pk)
        data[f"form-{i}-bedrag"] = "43,50" if t.pk == tarief.pk else str(t.bedrag)
    response = medewerker_client.post(url, data)
    assert response.status_code == 302
    tarief.refresh_from_db()
    assert tarief.bedrag == Decimal("43.50")
    entry = AuditEntry.objects.get(actie=Actie.TARIEF_GEWIJZIGD)
    assert entry.actor == medewerker and entry.voor["bedrag"] == "41.00" and entry.na["bedrag"] == "43.50"
    # Unchanged rows are not audited.
    assert AuditEntry.objects.filter(actie__startswith="tarief.").count() == 1


@pytest.mark.parametrize("bedrag", ["-1", "abc", "12.345"])
def test_r17_tarief_refuses_an_invalid_amount(medewerker_client, tarieven, bedrag):
    tarief = Tarief.objects.get(code="middel_eh3", periode="1")
    url = reverse("admin:facturatie_tarief_change", args=[tarief.pk])
    response = medewerker_client.post(url, {"bedrag": bedrag})
    assert response.status_code == 200 and "errornote" in response.content.decode()
    tarief.refresh_from_db()
    assert tarief.bedrag == Decimal("41.00")


# --- R70: the catalogue upload


def test_r70_upload_new_edition_runs_the_importer(medewerker_client, medewerker):
    url = reverse("admin:catalogus_catalogusimport_importeren")
    assert medewerker_client.get(url).status_code == 200
    bestand = SimpleUploadedFile("editie.xml", CATALOGUS.read_bytes(), content_type="application/xml")
    response = medewerker_client.post(url, {"bestand": bestand})
    assert response.status_code == 302
    assert Dienst.objects.exists() and CatalogusImport.objects.count() == 1
    toegevoegd = CatalogusImport.objects.get().toegevoegd
    assert any(f"added {toegevoegd}, changed 0, withdrawn 0, unchanged 0" in m for m in meldingen(response))
    assert AuditEntry.objects.filter(actie=Actie.CATALOGUS_GEIMPORTEERD, actor=medewerker).exists()


def test_r70_malformed_edition_shows_the_error_and_changes_nothing(medewerker_client):
    url = reverse("admin:catalogus_catalogusimport_importeren")
    response = medewerker_client.post(url, {"bestand": SimpleUploadedFile("kapot.xml", b"<niet-af")})
    assert response.status_code == 200 and 'id="bestand-fout"' in response.content.decode()
    assert not Dienst.objects.exists() and not CatalogusImport.objects.exists()


def test_catalogue_upload_needs_the_add_permission(client, staff_zonder_rechten):
    inloggen_geverifieerd(client, staff_zonder_rechten)
    assert client.get(reverse("admin:catalogus_catalogusimport_importeren")).status_code == 403


# --- The embedded Handelsregister


def test_handelsregister_upload_loads_the_file(medewerker_client, medewerker):
    url = reverse("admin:handelsregister_inschrijving_laden")
    response = medewerker_client.post(url, {"bestand": SimpleUploadedFile("hr.json", HANDELSREGISTER.read_bytes())})
    assert response.status_code == 302
    aantal = len(json.loads(HANDELSREGISTER.read_text())["organisaties"])
    assert Inschrijving.objects.count() == aantal
    assert AuditEntry.objects.filter(actie=Actie.HANDELSREGISTER_BESTAND_GELADEN, actor=medewerker).exists()
    zoek = medewerker_client.get(reverse("admin:handelsregister_inschrijving_changelist"), {"q": "69599084"})
    assert zoek.context["cl"].result_count == 1


@pytest.mark.parametrize("inhoud", [b"{kapot", b'{"organisaties": [{"basisprofiel": {}}]}'])
def test_handelsregister_bad_file_changes_nothing(medewerker_client, inhoud):
    url = reverse("admin:handelsregister_inschrijving_laden")
    response = medewerker_client.post(url, {"bestand": SimpleUploadedFile("hr.json", inhoud)})
    assert response.status_code == 200 and 'id="bestand-fout"' in response.content.decode()
    assert not Inschrijving.objects.exists()


# --- R74: the audit trail is read-only for everyone


@pytest.fixture
def entry(beheerder, organisatie):
    return audit_log(
        actor=beheerder,
        organisatie=organisatie,
        actie=Actie.PERSOON_EMAIL_GEWIJZIGD,
        omschrijving="=HYPERLINK()",
        voor={"a": 1},
        na={"a": 2},
    )


def test_r74_audit_trail_cannot_be_added_changed_or_deleted_even_by_a_superuser(client, entry):
    admin_ = site._registry[AuditEntry]
    for persoon in (PersoonFactory(is_staff=True, is_superuser=True),):
        request = RequestFactory().get("/")
        request.user = persoon
        assert not admin_.has_add_permission(request)
        assert not admin_.has_change_permission(request, entry)
        assert not admin_.has_delete_permission(request, entry)
        assert "delete_selected" not in admin_.get_actions(request)
        inloggen_geverifieerd(client, persoon)
        wijzig = reverse("admin:audit_auditentry_change", args=[entry.pk])
        pagina = client.get(wijzig).content.decode()
        assert 'name="_save"' not in pagina and "&quot;a&quot;: 1" in pagina  # before/after shown as JSON
        assert client.post(wijzig, {"omschrijving": "anders"}).status_code == 403
        assert (
            client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
        )
        assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.omschrijving == "=HYPERLINK()"


def test_r74_audit_export_csv_with_filters_and_formula_guard(medewerker_client, entry, organisatie):
    audit_log(actor=None, organisatie=OrganisatieFactory(), actie=Actie.ORGANISATIE_OPGEZEGD, omschrijving="elders")
    url = reverse("admin:audit_auditentry_export")
    response = medewerker_client.get(url, {"organisatie": organisatie.kvk_nummer, "scheiding": ";"})
    tekst = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK()" in tekst and "elders" not in tekst and ";" in tekst.splitlines()[0]
    assert csv_veilig("+31 6") == "'+31 6" and csv_veilig("gewoon") == "gewoon"


# --- The Support group and what a support agent may do


def test_support_group_has_exactly_the_permissions_of_the_migration(db):
    groep_migratie.maak_groep(__import__("django.apps", fromlist=["apps"]).apps, None)
    groep = Group.objects.get(name="Support")
    heeft = {(p.content_type.app_label, p.codename) for p in groep.permissions.select_related("content_type")}
    assert heeft == groep_migratie.codenames()
    assert not any(c.startswith("delete_") for _, c in heeft)
    assert ("audit", "change_auditentry") not in heeft


def test_support_agent_can_work_but_not_delete_edit_audit_or_staff_flags(medewerker_client, medewerker, entry):
    assert not medewerker.is_superuser
    for naam in (
        "gebruikers_aanvraag",
        "gebruikers_persoon",
        "facturatie_tarief",
        "audit_auditentry",
        "ketenmachtigingen_ketenmodule",
        "catalogus_dienst",
        "handelsregister_inschrijving",
        "machtigingen_machtiging",
    ):
        assert medewerker_client.get(reverse(f"admin:{naam}_changelist")).status_code == 200, naam
    request = RequestFactory().get("/")
    request.user = medewerker
    for model, model_admin in site._registry.items():
        assert not model_admin.has_delete_permission(request), model
    # Staff flags: a support agent cannot make anyone staff, superuser, or change groups.
    wijzig = reverse("admin:gebruikers_persoon_change", args=[medewerker.pk])
    assert medewerker_client.post(wijzig, {"is_superuser": "on", "is_staff": "on"}).status_code == 403
    medewerker.refresh_from_db()
    assert not medewerker.is_superuser
    persoon_admin = site._registry[type(medewerker)]
    assert {"is_staff", "is_superuser", "groups"} <= set(persoon_admin.get_readonly_fields(request, medewerker))
    assert medewerker_client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {}).status_code == 403


def test_superuser_may_change_staff_flags(client, medewerker):
    superuser = PersoonFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = superuser
    persoon_admin = site._registry[type(medewerker)]
    assert "is_staff" not in persoon_admin.get_readonly_fields(request, medewerker)


def test_superuser_pages_for_staff_accounts_render(client, medewerker):
    superuser = PersoonFactory(is_staff=True, is_superuser=True)
    inloggen_geverifieerd(client, superuser)
    assert client.get(reverse("admin:gebruikers_persoon_add")).status_code == 200
    wijzig = client.get(reverse("admin:gebruikers_persoon_change", args=[medewerker.pk]))
    assert wijzig.status_code == 200 and 'name="is_staff"' in wijzig.content.decode()
    assert client.get(reverse("admin:auth_user_password_change", args=[medewerker.pk])).status_code == 200
    response = client.post(
        reverse("admin:gebruikers_persoon_add"),
        {
            "username": "nieuwe-support",
            "voornamen": "Nina",
            "achternaam": "Nieuw",
            "email": "nina@example.nl",
            "password1": "Lang-genoeg-wachtwoord-9",
            "password2": "Lang-genoeg-wachtwoord-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert PersoonFactory._meta.model.objects.get(username="nieuwe-support").check_password("Lang-genoeg-wachtwoord-9")


def test_every_registered_admin_page_renders_for_the_support_agent(medewerker_client, module, entry, nieuwe_aanvraag):
    from django.contrib.auth.models import Group as _Group

    # The changelist opens with the view or change permission; which ones Support has is the group's (audit 0003).
    rechten = set(_Group.objects.get(name="Support").permissions.values_list("content_type__app_label", "codename"))
    codes = {}
    for model in site._registry:
        if model is _Group or model._meta.app_label == "berichten":
            continue
        opts = model._meta
        mag_zien = {(opts.app_label, f"view_{opts.model_name}"), (opts.app_label, f"change_{opts.model_name}")}
        verwacht = 200 if rechten & mag_zien else 403
        response = medewerker_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == verwacht, opts.label
        codes[opts.label] = verwacht
    assert 200 in codes.values(), codes


def test_r74_staff_cannot_change_personal_data_by_hand(client, db):
    from django.contrib.auth.models import Permission

    from tests.gebruikers.factories import KoppelingFactory, PersoonFactory

    staf = PersoonFactory(is_staff=True)
    staf.user_permissions.add(*Permission.objects.filter(codename__in=["view_persoon", "change_persoon"]))
    persoon = KoppelingFactory().middel.persoon
    inloggen_geverifieerd(client, staf)
    url = reverse("admin:gebruikers_persoon_change", args=[persoon.pk])
    html = client.get(url).content.decode()
    # Shown, but not as inputs: a changed e-mail or number would bypass R21/R22 and the audit trail.
    assert persoon.email in html
    assert 'name="email"' not in html and 'name="mobiel"' not in html and 'name="bsn"' not in html


def test_outbox_admin_hides_the_links_in_a_message(medewerker_client, db):
    from berichten.models import Bericht

    bericht = Bericht.objects.create(
        soort="activatie", ontvanger="a@example.nl", tekst="Activeer via https://beheer.example.nl/activeren/GEHEIM/"
    )
    html = medewerker_client.get(reverse("admin:berichten_bericht_change", args=[bericht.pk])).content.decode()
    assert "GEHEIM" not in html and "[link]" in html


def test_the_admin_says_whose_it_is_in_the_agents_language(medewerker_client, medewerker):
    pagina = medewerker_client.get("/admin/").content.decode()
    assert "Beheermodule eHerkenning – support" in pagina and "Django" not in pagina.split("<body")[1]
    medewerker.taal = "en"
    medewerker.save(update_fields=["taal"])
    engels = medewerker_client.get("/admin/").content.decode()
    assert "eHerkenning Management module – support" in engels
    assert "EHerkenning" not in engels and "EHerkenning" not in pagina  # the brand keeps its small e

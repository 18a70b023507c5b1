"""The van-relaties demo data (`ketenmachtigingen.demo.laad`): every invitation state, idempotent, and the
fixed demo link answers."""

from ketenmachtigingen import demo, services
from ketenmachtigingen.models import Ketenmachtiging, Uitnodiging
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory


def test_demo_invitations_in_every_state_and_idempotent(db):
    vries = OrganisatieFactory(naam="Accountants Vries", kvk_nummer="47474747")
    klip = OrganisatieFactory(naam="Ketelaar Klip", kvk_nummer="99966564")
    middelen = {"mdevries": KoppelingFactory(organisatie=vries, beheerder=True).middel}
    organisaties = {"47474747": vries, "99966564": klip}
    demo.laad(organisaties, middelen)
    demo.laad(organisaties, middelen)
    assert sorted(u.toestand for u in Uitnodiging.objects.all()) == [
        "afgegeven",
        "geopend",
        "geweigerd",
        "verlopen",
        "verstuurd",
    ]
    assert Ketenmachtiging.objects.get().verlener == klip
    assert services.uitnodiging_openen(demo.DEMO_TOKEN).naam == "Test BV Donald"

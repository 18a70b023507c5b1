"""The Beheermodule menu (§2.1). An item appears once the screen it points to exists (its URL resolves)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

MENU = [
    ("gebruikers:overzicht", _("Gebruikers")),
    ("machtigingen:overzicht", _("Machtigingen")),
    ("ketenmachtigingen:van_relaties", _("Ketenmachtigingen van relaties")),
    ("ketenmachtigingen:afgegeven", _("Ketenmachtigingen afgegeven")),
    ("groepen:overzicht", _("Groepen")),
    ("beheer:overige_wijzigingen", _("Overige wijzigingen")),
]


def menu_items(current_path: str) -> list[dict]:
    items = []
    for url_name, label in MENU:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "actief": current_path.startswith(url)})
    return items

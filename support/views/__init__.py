"""Staff-only views behind the Django admin (registered by the apps' ModelAdmins through `get_urls()`), one
module per group of screens; re-exported here so an admin module reads `views.admin_urls(...)`.

Every view is wrapped in `admin_site.admin_view` (active staff only, CSRF, never cached) by `admin_urls`
and checks its own model permission on top, so a staff member without it gets 403. Views stay thin: they
parse a form, call a domain service, and show a `DomainError` with `messages.error` (nothing changed).
"""

from support.views._common import admin_urls
from support.views.aanvragen import (
    aanvraag_activatiebrief,
    aanvraag_afkeuren,
    aanvraag_goedkeuren,
    aanvraag_id_document,
    aanvragen_afkeuren,
    aanvragen_goedkeuren,
    activeren_tot_tekst,
)
from support.views.audit_export import audit_export
from support.views.ketenmodule import (
    ketenmodule_acceptatie,
    ketenmodule_inschakelen,
    ketenmodule_offerte_pdf,
    ketenmodule_offerte_versturen,
)
from support.views.uploads import catalogus_importeren, handelsregister_uploaden

__all__ = [
    "aanvraag_activatiebrief",
    "aanvraag_afkeuren",
    "aanvraag_goedkeuren",
    "aanvraag_id_document",
    "aanvragen_afkeuren",
    "aanvragen_goedkeuren",
    "activeren_tot_tekst",
    "admin_urls",
    "audit_export",
    "catalogus_importeren",
    "handelsregister_uploaden",
    "ketenmodule_acceptatie",
    "ketenmodule_inschakelen",
    "ketenmodule_offerte_pdf",
    "ketenmodule_offerte_versturen",
]

"""Writing ketenmachtigingen (R40–R45, R23, R73, R74), one module per concern; the public API is re-exported
here, so callers write `from ketenmachtigingen import services as keten` and `keten.ketenmachtiging_afgeven(...)`.

Two ways in: the verlener's beheerder issues one (`afgeven`, R40), or the intermediair with the KetenModule
(`module`) invites a relation, who gives it through the invitation without eHerkenning (`uitnodigingen`, R43).
The intermediair's beheerder then links received ketenmachtigingen to its own regular EH3+ middelen (`beheer`,
R44); the Machtigingenregister decides from those links (`machtigingen.register`, R72). The messages are in
`informeren`, the scheduled work in `jobs`.

An intermediair that is not on the platform yet is registered as a plain `Organisatie` record (status Actief,
without koppelingen) holding the KvK data looked up in the Handelsregister: the ketenmachtiging must point at
an organisation, and when that intermediair joins later it finds its received ketenmachtigingen at once (R42).
"On the platform" means: it has an actief koppeling of an Actief middel (`op_platform`).
"""

from ketenmachtigingen.services._common import (
    GEREGISTREERD_BIJ_STANDAARD,
    KETEN_MINIMUM_NIVEAU,
    UITNODIGING_GELDIG_DAGEN,
    BulkUitnodigingFout,
    KetenmachtigingAfgifte,
    VerstuurdeUitnodiging,
    geregistreerd_bij,
    op_platform,
)
from ketenmachtigingen.services.afgeven import ketenmachtiging_afgeven
from ketenmachtigingen.services.beantwoorden import (
    MAX_POGINGEN,
    UitnodigingOnbruikbaar,
    code_bevestigen,
    identiteit_bevestigen,
    uitnodiging_openen,
    uitnodiging_toestemmen,
    uitnodiging_weigeren,
)
from ketenmachtigingen.services.beheer import (
    intermediair_verwijderen,
    ketenmachtiging_intrekken,
    ketenmachtiging_koppel_middel,
    ketenmachtiging_ontkoppel_middel,
    ketenmachtiging_verlengen,
)
from ketenmachtigingen.services.informeren import (
    intermediair_informeren,
    uitnodiging_link,
    uitnodiging_versturen,
    uitnodigingen_versturen,
)
from ketenmachtigingen.services.jobs import ketenmachtigingen_verlopen, uitnodigingen_verlopen
from ketenmachtigingen.services.koppelingen import keten_koppelingen_opschonen, koppelingen_beeindigen
from ketenmachtigingen.services.module import (
    ketenmodule_aanvragen,
    ketenmodule_acceptatie_vastleggen,
    ketenmodule_inschakelen,
    ketenmodule_offerte_accepteren,
    ketenmodule_offerte_versturen,
)
from ketenmachtigingen.services.uitnodigingen import (
    relatie_uitnodigen,
    relaties_beoordelen,
    relaties_uitnodigen,
    uitnodiging_intrekken,
    uitnodiging_opnieuw_versturen,
)

__all__ = [
    "MAX_POGINGEN",
    "UitnodigingOnbruikbaar",
    "code_bevestigen",
    "identiteit_bevestigen",
    "keten_koppelingen_opschonen",
    "koppelingen_beeindigen",
    "relaties_beoordelen",
    "uitnodiging_intrekken",
    "uitnodiging_openen",
    "uitnodiging_opnieuw_versturen",
    "uitnodiging_toestemmen",
    "uitnodiging_weigeren",
    "GEREGISTREERD_BIJ_STANDAARD",
    "KETEN_MINIMUM_NIVEAU",
    "UITNODIGING_GELDIG_DAGEN",
    "BulkUitnodigingFout",
    "KetenmachtigingAfgifte",
    "VerstuurdeUitnodiging",
    "geregistreerd_bij",
    "intermediair_informeren",
    "intermediair_verwijderen",
    "ketenmachtiging_afgeven",
    "ketenmachtiging_intrekken",
    "ketenmachtiging_koppel_middel",
    "ketenmachtiging_ontkoppel_middel",
    "ketenmachtiging_verlengen",
    "ketenmachtigingen_verlopen",
    "ketenmodule_aanvragen",
    "ketenmodule_acceptatie_vastleggen",
    "ketenmodule_inschakelen",
    "ketenmodule_offerte_accepteren",
    "ketenmodule_offerte_versturen",
    "op_platform",
    "relatie_uitnodigen",
    "relaties_uitnodigen",
    "uitnodiging_link",
    "uitnodiging_versturen",
    "uitnodigingen_versturen",
    "uitnodigingen_verlopen",
]

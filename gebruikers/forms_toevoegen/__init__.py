"""The form behind "+ Voeg toe" (§3.2, §3.2.1): `form` (fields and choices), `validatie` (the domain's checks
group by group, each refusal next to its field) and `kosten` (the live cost overview, R17)."""

from gebruikers.forms_toevoegen.form import ToevoegenForm
from gebruikers.forms_toevoegen.kosten import Keuzes, KostenOverzicht, kosten_overzicht, niveau_tekst, prijs_of_leeg

__all__ = ["Keuzes", "KostenOverzicht", "ToevoegenForm", "kosten_overzicht", "niveau_tekst", "prijs_of_leeg"]

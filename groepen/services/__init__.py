"""Writes for Groepen (R24): groups, their members and their machtigingen. Every service checks that the actor is
a beheerder of the group's organisation (R4), locks the group, audits each change (R74) and tells the people
whose machtigingen change through the group once per action (R37)."""

from groepen.services._common import GROEP_NIET_GEVONDEN, NIET_BEHEERDER
from groepen.services.groepen import groep_aanmaken, groep_hernoemen, groep_verwijderen
from groepen.services.leden import leden_toevoegen, lid_verwijderen
from groepen.services.machtigingen import (
    groep_machtiging_intrekken,
    groep_machtiging_toevoegen,
    groep_machtigingen_beeindigen,
    verloop_groepsmachtigingen,
)

__all__ = [
    "GROEP_NIET_GEVONDEN",
    "NIET_BEHEERDER",
    "groep_aanmaken",
    "groep_hernoemen",
    "groep_machtiging_intrekken",
    "groep_machtiging_toevoegen",
    "groep_machtigingen_beeindigen",
    "groep_verwijderen",
    "leden_toevoegen",
    "lid_verwijderen",
    "verloop_groepsmachtigingen",
]

"""`{% load weergave %}`: `{{ persoon.mobiel|telefoon }}`, `{{ persoon.mobiel|gemaskeerd }}`, `{{ d|datum }}`."""

from django import template

from common import weergave

register = template.Library()

register.filter("telefoon", weergave.telefoon)
register.filter("gemaskeerd", weergave.maskeer)
register.filter("datum", weergave.datum)

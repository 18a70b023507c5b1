"""`{% load weergave %}`: `{{ persoon.mobiel|telefoon }}`, `{{ persoon.mobiel|gemaskeerd }}`, `{{ d|datum }}`,
`{{ tarief.bedrag|euro }}`."""

from django import template

from common import weergave

register = template.Library()

register.filter("telefoon", weergave.telefoon)
register.filter("gemaskeerd", weergave.maskeer)
register.filter("datum", weergave.datum)
register.filter("euro", weergave.euro)

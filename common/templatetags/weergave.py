"""`{% load weergave %}`: `{{ persoon.mobiel|telefoon }}`, `{{ persoon.mobiel|gemaskeerd }}`, `{{ d|datum }}`,
`{{ tarief.bedrag|euro }}`, `{{ e.moment|moment }}`."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from common import weergave

register = template.Library()

register.filter("telefoon", weergave.telefoon)
register.filter("gemaskeerd", weergave.maskeer)
register.filter("datum", weergave.datum)
register.filter("euro", weergave.euro)


@register.filter
def moment(waarde, precisie: str = "seconden"):
    """A moment as the manual writes it ('04-12-2026 19:57:45', or to the minute with "minuten"), in local time,
    as a <time>: the date and the time each kept whole, so a narrow column breaks between them, not at a
    hyphen of the date."""
    if not waarde:
        return ""
    lokaal = timezone.localtime(waarde)
    tijd = lokaal.strftime("%H:%M" if precisie == "minuten" else "%H:%M:%S")
    return format_html(
        '<time datetime="{}"><span class="bm-heel">{}</span> <span class="bm-heel">{}</span></time>',
        lokaal.isoformat(),
        weergave.datum(lokaal),
        tijd,
    )

"""Record every log-in and failed attempt of a known person for the Inloghistorie (R60).

Connected in `InloggenConfig.ready`, after django-axes' own receivers (axes comes first in INSTALLED_APPS), so
`request.axes_locked_out` already tells whether the attempt was refused because of a lockout.
"""

from django.contrib.auth import get_user_model

from common.clientip import client_ip
from inloggen.limieten import MISLUKT_PER_ADRES
from inloggen.models import LoginPoging
from inloggen.services import loginpoging_vastleggen


def ip_adres(request) -> str | None:
    if request is None or not getattr(request, "META", None):
        return None
    return client_ip(request) or None


def bij_ingelogd(sender, request, user, **kwargs):
    loginpoging_vastleggen(persoon=user, uitkomst=LoginPoging.Uitkomst.GELUKT, ip_adres=ip_adres(request))


def bij_mislukt(sender, credentials, request=None, **kwargs):
    adres = ip_adres(request)
    if adres:
        # Password spraying: one address trying one password over many user names (axes counts per user name).
        MISLUKT_PER_ADRES.tel(adres)
    username = (credentials or {}).get("username")
    if not username:
        return
    persoon = get_user_model().objects.filter(username=username).first()
    if persoon is None:
        # Attempts on unknown usernames are nobody's history (and may hold a mistyped password).
        return
    if getattr(request, "axes_locked_out", False):
        uitkomst = LoginPoging.Uitkomst.GEBLOKKEERD
    elif credentials.get("tweede_factor"):
        uitkomst = LoginPoging.Uitkomst.ONJUISTE_CODE
    else:
        uitkomst = LoginPoging.Uitkomst.ONJUIST_WACHTWOORD
    loginpoging_vastleggen(persoon=persoon, uitkomst=uitkomst, ip_adres=adres)

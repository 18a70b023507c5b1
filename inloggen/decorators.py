"""Access to the own profile pages: a complete log-in (R1, R2, R19)."""

from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from gebruikers.models import Middel
from inloggen.services import vereist_tweede_factor


def sessie_volledig(request) -> bool:
    """Signed in, the middel still Actief (a terminated middel logs in nowhere, R19), and from EH2+ the
    second factor verified in this session (R2)."""
    user = request.user
    if not user.is_authenticated:
        return False
    middel = Middel.objects.filter(persoon=user).first()
    if middel is None or middel.status != Middel.Status.ACTIEF:
        return False
    request.eigen_middel = middel
    return not vereist_tweede_factor(middel) or user.is_verified()


def persoon_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not sessie_volledig(request):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper

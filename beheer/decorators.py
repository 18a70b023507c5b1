"""Access to the Beheermodule (R1, R2, R4, R7): every Beheermodule view is wrapped in `beheerder_required`."""

from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect


def beheerder_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.beheer.is_beheerder:
            # Not (or no longer) a beheerder: the person's own profile pages are what remain (R1, R7).
            return redirect("beheer:profiel")
        if not request.user.is_verified():
            # R2: a beheerder's middel is EH2+ or higher, so the session must have passed the second factor.
            logout(request)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.beheermodule = True
    return wrapper

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from beheer.decorators import beheerder_required
from beheer.middleware import SESSION_KEY
from beheer.selectors import organisatie_samenvatting
from inloggen.views import InloggenView, UitloggenView

__all__ = ["InloggenView", "UitloggenView", "home", "start", "wissel_organisatie"]


def home(request):
    if not request.user.is_authenticated:
        return redirect("beheer:inloggen")
    if request.beheer.is_beheerder and request.user.is_verified():
        return redirect("beheer:start")
    return redirect("beheer:profiel")


@beheerder_required
def start(request):
    organisatie = request.beheer.organisatie
    return render(
        request,
        "beheer/start.html",
        {"organisatie": organisatie, "samenvatting": organisatie_samenvatting(organisatie)},
    )


@require_POST
@beheerder_required
def wissel_organisatie(request):
    """R4: the chosen organisation is kept in the session; OrganisatieMiddleware honours it on every request
    only while the person is still beheerder there."""
    try:
        gekozen = int(request.POST.get("organisatie", ""))
    except ValueError:
        raise Http404 from None
    if gekozen not in {o.pk for o in request.beheer.organisaties}:
        raise Http404
    request.session[SESSION_KEY] = gekozen
    return redirect("beheer:home")

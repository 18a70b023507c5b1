from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from beheer.decorators import beheerder_required
from beheer.middleware import SESSION_KEY
from beheer.selectors import organisatie_samenvatting


def home(request):
    if not request.user.is_authenticated:
        return redirect("beheer:inloggen")
    if request.beheer.is_beheerder:
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


@beheerder_required
def instellingen(request):
    return render(request, "beheer/instellingen_algemeen.html", {"organisatie": request.beheer.organisatie})


@require_POST
@beheerder_required
def wissel_organisatie(request):
    try:
        gekozen = int(request.POST.get("organisatie", ""))
    except ValueError:
        raise Http404 from None
    if gekozen not in {o.pk for o in request.beheer.organisaties}:
        raise Http404
    request.session[SESSION_KEY] = gekozen
    return redirect("beheer:home")


@login_required
def profiel(request):
    middel = getattr(request.user, "middel", None)
    return render(request, "beheer/profiel.html", {"persoon": request.user, "middel": middel})


class InloggenView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class UitloggenView(auth_views.LogoutView):
    next_page = "beheer:inloggen"

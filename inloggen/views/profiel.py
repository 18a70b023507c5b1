"""Screens: Mijn profiel with Inloghistorie, the own (keten)machtigingen, e-mail address, password and
language (§2.3, R1, R22, R60). Open to every signed-in person, beheerder or not."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from common.errors import DomainError
from gebruikers.services import persoon_wijzig_eigen_email
from inloggen import services
from inloggen.decorators import persoon_required
from inloggen.forms import EmailWijzigenForm, TaalForm, WachtwoordWijzigenForm
from inloggen.selectors import eigen_machtigingen, inloghistorie
from inloggen.views._common import taal_cookie

INLOGHISTORIE_PER_PAGINA = 25


def _profiel_context(request, tab: str) -> dict:
    return {"persoon": request.user, "middel": request.eigen_middel, "tab": tab}


@persoon_required
def profiel(request):
    context = _profiel_context(request, "profiel")
    context["taal_form"] = TaalForm(initial={"taal": request.user.taal})
    if services.vereist_tweede_factor(request.eigen_middel):
        context["sms_nummer"] = request.user.mobiel
    return render(request, "inloggen/profiel.html", context)


@persoon_required
def profiel_inloghistorie(request):
    pagina = Paginator(inloghistorie(request.user), INLOGHISTORIE_PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request, "inloggen/inloghistorie.html", {**_profiel_context(request, "inloghistorie"), "pagina": pagina}
    )


@persoon_required
def profiel_machtigingen(request):
    per_organisatie, ketenmachtigingen = eigen_machtigingen(request.eigen_middel)
    return render(
        request,
        "inloggen/profiel_machtigingen.html",
        {
            **_profiel_context(request, "machtigingen"),
            "per_organisatie": per_organisatie,
            "ketenmachtigingen": ketenmachtigingen,
        },
    )


@persoon_required
def profiel_email(request):
    """R22: after activation only the person changes the own e-mail address, here."""
    form = EmailWijzigenForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        try:
            persoon_wijzig_eigen_email(persoon=request.user, email=form.cleaned_data["email"])
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Uw e-mailadres is gewijzigd."))
            return redirect("beheer:profiel")
    return render(request, "inloggen/profiel_email.html", {**_profiel_context(request, "profiel"), "form": form})


@sensitive_post_parameters("huidig", "nieuw1", "nieuw2")
@persoon_required
def profiel_wachtwoord(request):
    form = WachtwoordWijzigenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.persoon_wijzig_wachtwoord(
                persoon=request.user, huidig=form.cleaned_data["huidig"], nieuw=form.cleaned_data["nieuw1"]
            )
        except DomainError as error:
            form.add_error("huidig" if error.code == "huidig" else "nieuw1", str(error))
        else:
            # Stay signed in (and verified) in this session; other sessions of the person end.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Uw wachtwoord is gewijzigd."))
            return redirect("beheer:profiel")
    return render(request, "inloggen/profiel_wachtwoord.html", {**_profiel_context(request, "profiel"), "form": form})


@require_POST
@persoon_required
def profiel_taal(request):
    form = TaalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies Nederlands of English."))
        return redirect("beheer:profiel")
    persoon = services.persoon_wijzig_taal(persoon=request.user, taal=form.cleaned_data["taal"])
    translation.activate(persoon.taal)
    messages.success(request, _("De taal is gewijzigd."))
    return taal_cookie(redirect("beheer:profiel"), persoon.taal)

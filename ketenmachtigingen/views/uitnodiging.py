"""The invitation page `/uitnodiging/<token>/` (R43, R47): no login, no Beheermodule menu, CSRF-protected.

One URL, four steps by the state of the invitation and this browser session: identify as a wettelijk
vertegenwoordiger → the code from the e-mail → consent (dropping diensten) or refuse → done. A link that is
unknown answers 404; expired, used, withdrawn or locked answers 410 with the reason and offers nothing.
"""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.errors import DomainError
from ketenmachtigingen import selectors
from ketenmachtigingen import services as keten
from ketenmachtigingen.forms_uitnodiging import BesluitForm, CodeForm, IdentiteitForm
from ketenmachtigingen.models import Uitnodiging


def _sessie_sleutel(u: Uitnodiging) -> str:
    return f"ketenmachtigingen_uitnodiging_{u.pk}"


def _ongeldig(request, fout: DomainError):
    status = 404 if fout.code == "onbekend" else 410
    return render(request, "ketenmachtigingen/uitnodiging_ongeldig.html", {"bericht": fout.message}, status=status)


def _bevestigd(request, u: Uitnodiging) -> bool:
    """This browser passed the code step for this invitation (the code alone, without the session, is not enough)."""
    return u.code_bevestigd_op is not None and request.session.get(_sessie_sleutel(u)) == u.token_hash


@never_cache
@require_http_methods(["GET", "POST"])
def beantwoorden(request, token: str):
    try:
        u = keten.uitnodiging_openen(token)
    except keten.UitnodigingOnbruikbaar as e:
        return _ongeldig(request, e)
    gevraagd = selectors.uitnodiging_gevraagd(u)
    stap = request.POST.get("stap") if request.method == "POST" else None
    identiteit_form, code_form, besluit_form = IdentiteitForm(), CodeForm(), BesluitForm(gevraagd=gevraagd)
    status = 200
    try:
        if stap == "identiteit":
            identiteit_form = IdentiteitForm(request.POST)
            if identiteit_form.is_valid():
                u = keten.identiteit_bevestigen(
                    token=token,
                    naam=identiteit_form.cleaned_data["naam"],
                    geboortedatum=identiteit_form.cleaned_data["geboortedatum"],
                )
                request.session.pop(_sessie_sleutel(u), None)
            else:
                status = 400
        elif stap == "code":
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                u = keten.code_bevestigen(token=token, code=code_form.cleaned_data["code"])
                request.session[_sessie_sleutel(u)] = u.token_hash
            else:
                status = 400
        elif stap in ("toestemmen", "weigeren") and _bevestigd(request, u):
            besluit_form = BesluitForm(request.POST, gevraagd=gevraagd)
            if besluit_form.is_valid():
                if stap == "weigeren":
                    keten.uitnodiging_weigeren(token=token)
                    request.session.pop(_sessie_sleutel(u), None)
                    return render(request, "ketenmachtigingen/uitnodiging_klaar.html", {"u": u, "geweigerd": True})
                gegeven = keten.uitnodiging_toestemmen(token=token, gekozen=besluit_form.cleaned_data["gekozen"])
                request.session.pop(_sessie_sleutel(u), None)
                return render(request, "ketenmachtigingen/uitnodiging_klaar.html", {"u": u, "gegeven": gegeven})
            status = 400
        elif stap is not None:
            status = 400
            messages.error(request, _("Bevestig eerst uw identiteit met de code uit de e-mail."))
    except keten.UitnodigingOnbruikbaar as e:
        return _ongeldig(request, e)
    except DomainError as e:
        status = 400
        {"identiteit": identiteit_form, "code": code_form}.get(stap, besluit_form).add_error(None, str(e.message))
        u.refresh_from_db()
        if u.status == Uitnodiging.Status.VERGRENDELD:
            return _ongeldig(request, keten.UitnodigingOnbruikbaar(e.message, rule="R47"))

    if _bevestigd(request, u):
        fase = "besluit"
    elif u.code_hash and not (stap == "identiteit" and status != 200) and "opnieuw" not in request.GET:
        fase = "code"
    else:
        fase = "identiteit"
    return render(
        request,
        "ketenmachtigingen/uitnodiging.html",
        {
            "u": u,
            "gevraagd": gevraagd,
            "fase": fase,
            "identiteit_form": identiteit_form,
            "code_form": code_form,
            "besluit_form": besluit_form,
            "titel": _("Uitnodiging voor een ketenmachtiging"),
        },
        status=status,
    )

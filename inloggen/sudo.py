"""Sudo mode (issue #14): sensitive actions ask for the password again once the last check is older than
`settings.SUDO_MINUTEN` minutes.

The moment of the last check lives in the session (`bevestigd`); log-in completion records it too. A view wrapped in
`vereist_recente_bevestiging` (inside `beheerder_required`) runs only when that moment is recent. Otherwise:

- a plain GET (no JavaScript) is redirected to the confirmation page `beheer:bevestigen?next=…`;
- an HTMX GET shows the confirmation in the pop-up; once confirmed, the pop-up reloads with the original form;
- a POST (plain or HTMX: the pop-up was left open too long) is refused, nothing is performed, and the
  confirmation is shown in its place carrying the entered data as hidden fields. The right password then performs
  exactly that POST; a wrong one says so and changes nothing.

The password is checked with `authenticate`, so django-axes counts a wrong one and locks out as on the log-in page
(and the Inloghistorie records it). `vereist_recente_bevestiging_admin` is the variant for the Django admin: the
same flow in the admin's layout, asking the TOTP code instead when the agent's session was verified with one.
"""

import time
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from common import htmx
from inloggen.decorators import persoon_required
from inloggen.views._common import is_geblokkeerd, lockout

SESSIE_SLEUTEL = "sudo_bevestigd_op"
# The confirmation form's own fields; everything else in a refused POST is the person's data, carried along.
MARKER = "_sudo"  # "GET" or "POST": what the confirmation continues with
WACHTWOORD = "sudo_wachtwoord"
CODE = "sudo_code"
EIGEN_VELDEN = {MARKER, WACHTWOORD, CODE, "csrfmiddlewaretoken"}
# The pop-up's content element (templates/gebruikers/mutaties/dialog.html).
INHOUD = "bm-popup-inhoud"


def bevestigd(request) -> None:
    """The person has just proven who they are (log-in, password or code again): record now."""
    request.session[SESSIE_SLEUTEL] = time.time()


def bij_ingelogd(sender, request, user, **kwargs) -> None:
    """A `user_logged_in` receiver, for log-ins that do not pass `_voltooien` (Django's admin log-in page)."""
    if request is not None and hasattr(request, "session"):
        bevestigd(request)


def is_recent(request) -> bool:
    moment = request.session.get(SESSIE_SLEUTEL)
    if not isinstance(moment, int | float):
        return False
    return 0 <= time.time() - moment <= settings.SUDO_MINUTEN * 60


class WachtwoordForm(forms.Form):
    sudo_wachtwoord = forms.CharField(
        label=gettext_lazy("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class CodeForm(forms.Form):
    sudo_code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _wachtwoord_klopt(request, wachtwoord: str) -> bool:
    """`authenticate` for the signed-in person: axes counts a failure (and refuses while locked out)."""
    user = authenticate(request, username=request.user.get_username(), password=wachtwoord)
    return user is not None and user.pk == request.user.pk


def _code_klopt(request, code: str) -> bool:
    """The agent's own OTP device (the one this session was verified with); a wrong code counts as a failure."""
    apparaat = request.user.otp_device
    if apparaat.verify_token(code):
        return True
    user_login_failed.send(
        sender=__name__, credentials={"username": request.user.get_username(), "tweede_factor": "otp"}, request=request
    )
    return False


def _bewaard(post: QueryDict) -> list[tuple[str, str]]:
    """The refused POST's data, as (name, value) pairs for hidden fields (multiple values kept)."""
    return [(naam, waarde) for naam, waarden in post.lists() if naam not in EIGEN_VELDEN for waarde in waarden]


def _zonder_eigen_velden(post: QueryDict) -> QueryDict:
    schoon = QueryDict(mutable=True)
    for naam, waarden in post.lists():
        if naam not in EIGEN_VELDEN:
            schoon.setlist(naam, waarden)
    schoon._mutable = False
    return schoon


def veilige_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return None


def _terug_url(request) -> str:
    return veilige_next(request, request.META.get("HTTP_REFERER")) or settings.LOGIN_REDIRECT_URL


def _context(request, form, *, herkomst: str) -> dict:
    geweigerd = herkomst == "POST"
    return {
        "form": form,
        "sudo_actie": request.get_full_path(),
        "sudo_marker": MARKER,
        "herkomst": herkomst,
        "bewaard": _bewaard(request.POST) if geweigerd else [],
        "geweigerd": geweigerd,
        "minuten": settings.SUDO_MINUTEN,
        "in_dialog": bool(getattr(request, "htmx", False)),
        "terug_url": _terug_url(request),
        "titel": _("Bevestig met uw wachtwoord"),
    }


def _vraag(request, form, *, herkomst: str):
    """Show the confirmation where the action would have answered: in the pop-up, or as a page."""
    ctx = _context(request, form, herkomst=herkomst)
    if request.htmx:
        # htmx swaps only 2xx answers: a refusal in a pop-up is a 200 that shows the confirmation.
        if request.htmx.target == INHOUD:
            return render(request, "inloggen/bevestigen_formulier.html", ctx)
        ctx["popup_template"] = "inloggen/bevestigen_formulier.html"
        return htmx.open_as_popup(render(request, "gebruikers/mutaties/dialog.html", ctx))
    return render(request, "inloggen/bevestigen.html", ctx, status=403 if herkomst == "POST" else 200)


def _pagina_url(request) -> str:
    return f"{reverse('beheer:bevestigen')}?{urlencode({'next': request.get_full_path()})}"


def _geblokkeerd(request):
    if request.htmx:
        return htmx.redirect(_pagina_url(request))
    return lockout(request)


def _verder_na_get(request):
    """Confirmed for a GET: without JavaScript back to it; in a pop-up the whole dialog reloads as first asked."""
    if request.htmx:
        return render(request, "inloggen/bevestigen_verder.html", {"url": request.get_full_path()})
    return redirect(request.get_full_path())


def vereist_recente_bevestiging(view):
    """For Beheermodule views (GET and POST), applied inside `beheerder_required`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        herkomst = request.POST.get(MARKER) if request.method == "POST" else None
        if herkomst not in ("GET", "POST"):
            if is_recent(request):
                return view(request, *args, **kwargs)
            if is_geblokkeerd(request, request.user.get_username()):
                return _geblokkeerd(request)
            if request.method == "POST":
                return _vraag(request, WachtwoordForm(), herkomst="POST")
            if not request.htmx:
                return redirect(_pagina_url(request))
            return _vraag(request, WachtwoordForm(), herkomst="GET")
        # The confirmation itself, also when the session became recent meanwhile (another tab): a bare
        # confirmation must never reach the view as if it were the action's own POST.
        request.sensitive_post_parameters = [WACHTWOORD]
        form = WachtwoordForm(request.POST)
        if form.is_valid():
            if _wachtwoord_klopt(request, form.cleaned_data[WACHTWOORD]):
                bevestigd(request)
                if herkomst == "GET":
                    return _verder_na_get(request)
                request.POST = _zonder_eigen_velden(request.POST)
                return view(request, *args, **kwargs)
            if getattr(request, "axes_locked_out", False):
                if request.htmx:
                    # axes would answer with its 429 page, which htmx does not swap: navigate to it instead.
                    request.axes_locked_out = False
                    return htmx.redirect(_pagina_url(request))
                return lockout(request)
            form.add_error(WACHTWOORD, _("Het wachtwoord is onjuist. Er is niets gewijzigd."))
        return _vraag(request, form, herkomst=herkomst)

    return wrapper


@sensitive_post_parameters(WACHTWOORD)
@require_http_methods(["GET", "POST"])
@persoon_required
def bevestigen(request):
    """The confirmation page without JavaScript: the password, then back to the (safe) `next`."""
    volgende = veilige_next(request, request.POST.get("next") or request.GET.get("next"))
    if is_geblokkeerd(request, request.user.get_username()):
        return lockout(request)
    form = WachtwoordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _wachtwoord_klopt(request, form.cleaned_data[WACHTWOORD]):
            bevestigd(request)
            return redirect(volgende or settings.LOGIN_REDIRECT_URL)
        if getattr(request, "axes_locked_out", False):
            return lockout(request)
        form.add_error(WACHTWOORD, _("Het wachtwoord is onjuist. Er is niets gewijzigd."))
    ctx = _context(request, form, herkomst="")
    ctx.update({"sudo_actie": reverse("beheer:bevestigen"), "next": volgende or "", "in_dialog": False})
    return render(request, "inloggen/bevestigen.html", ctx)


# --- The Django admin (support staff) -----------------------------------------------------------------------


def _request_uit(args) -> HttpRequest:
    """A function view gets the request first, a ModelAdmin method (add_view, an action) second."""
    return next(a for a in args[:2] if isinstance(a, HttpRequest))


def _admin_form(request, data=None):
    # Only a TOTP device can be asked again without sending anything (an SMS code would first need sending).
    if isinstance(getattr(request.user, "otp_device", None), TOTPDevice):
        return CodeForm(data)
    return WachtwoordForm(data)


def _admin_vraag(request, form, *, herkomst: str, fout: str = ""):
    ctx = _context(request, form, herkomst=herkomst)
    ctx.update({"in_dialog": False, "fout": fout})
    if isinstance(form, CodeForm):
        ctx["titel"] = _("Bevestig met de code van uw authenticator-app")
    return render(request, "inloggen/bevestigen_admin.html", ctx, status=403 if herkomst == "POST" else 200)


def vereist_recente_bevestiging_admin(view):
    """The admin variant, for a custom admin view, `ModelAdmin.add_view`/`change_view` or an admin action: the
    confirmation is rendered in place (the admin has no pop-ups) and posts back to the same URL. A session verified
    with a TOTP device (django-otp) re-asks its code; otherwise the password."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        request = _request_uit(args)
        herkomst = request.POST.get(MARKER) if request.method == "POST" else None
        if herkomst not in ("GET", "POST"):
            if is_recent(request):
                return view(*args, **kwargs)
            if is_geblokkeerd(request, request.user.get_username()):
                return lockout(request)
            return _admin_vraag(request, _admin_form(request), herkomst="POST" if request.method == "POST" else "GET")
        request.sensitive_post_parameters = [WACHTWOORD, CODE]
        form = _admin_form(request, request.POST)
        if form.is_valid():
            if isinstance(form, CodeForm):
                klopt = _code_klopt(request, form.cleaned_data[CODE])
            else:
                klopt = _wachtwoord_klopt(request, form.cleaned_data[WACHTWOORD])
            if klopt:
                bevestigd(request)
                if herkomst == "GET":
                    return redirect(request.get_full_path())
                request.POST = _zonder_eigen_velden(request.POST)
                return view(*args, **kwargs)
            if getattr(request, "axes_locked_out", False) or is_geblokkeerd(request, request.user.get_username()):
                return lockout(request)
            # On the bound form: a PasswordInput never renders the entered password back.
            veld = CODE if isinstance(form, CodeForm) else WACHTWOORD
            melding = _("De code is onjuist of verlopen.") if veld == CODE else _("Het wachtwoord is onjuist.")
            form.add_error(veld, melding + " " + _("Er is niets gewijzigd."))
        return _admin_vraag(request, form, herkomst=herkomst)

    return wrapper

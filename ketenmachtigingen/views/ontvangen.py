"""Received ketenmachtigingen at the intermediair (R44, R45): link one to a person's middel, unlink, and
revoke what the intermediair asked for through an invitation. Listed on the van-relaties page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beheer.decorators import beheerder_required
from common.errors import DomainError
from gebruikers.models import Middel
from ketenmachtigingen import selectors
from ketenmachtigingen import services as keten
from ketenmachtigingen.forms_relaties import KoppelForm


def _ketenmachtiging(request, pk: int):
    k = selectors.ontvangen_ketenmachtiging(request.beheer.organisatie, pk)
    if k is None:
        raise Http404
    return k


def _terug():
    return redirect("ketenmachtigingen:van_relaties")


@require_POST
@beheerder_required
def koppelen(request, ketenmachtiging_id: int):
    k = _ketenmachtiging(request, ketenmachtiging_id)
    form = KoppelForm(request.POST, middelen=selectors.keten_middelen(request.beheer.organisatie))
    if not form.is_valid():
        messages.error(
            request,
            _("Kies een medewerker met een actief, regulier eHerkenningsmiddel op niveau EH3 of hoger."),
        )
        return _terug()
    middel = form.cleaned_data["middel"]
    try:
        keten.ketenmachtiging_koppel_middel(actor=request.user, ketenmachtiging=k, middel=middel)
    except DomainError as e:
        messages.error(request, str(e.message))
    else:
        messages.success(
            request,
            _("De ketenmachtiging van %(verlener)s is gekoppeld aan %(persoon)s.")
            % {"verlener": k.verlener.naam, "persoon": middel.persoon.naam},
        )
    return _terug()


@require_POST
@beheerder_required
def ontkoppelen(request, ketenmachtiging_id: int, middel_id: int):
    k = _ketenmachtiging(request, ketenmachtiging_id)
    middel = Middel.objects.filter(pk=middel_id, koppelingen__organisatie=request.beheer.organisatie).first()
    if middel is None:
        raise Http404
    try:
        keten.ketenmachtiging_ontkoppel_middel(actor=request.user, ketenmachtiging=k, middel=middel)
    except DomainError as e:
        messages.error(request, str(e.message))
    else:
        messages.success(
            request,
            _("De ketenmachtiging van %(verlener)s is ontkoppeld van %(persoon)s.")
            % {"verlener": k.verlener.naam, "persoon": middel.persoon.naam},
        )
    return _terug()


@require_POST
@beheerder_required
def intrekken(request, ketenmachtiging_id: int):
    k = _ketenmachtiging(request, ketenmachtiging_id)
    try:
        keten.ketenmachtiging_intrekken(actor=request.user, ketenmachtiging=k)
    except DomainError as e:
        messages.error(request, str(e.message))
    else:
        messages.success(
            request,
            _("De ketenmachtiging %(scope)s van %(verlener)s is ingetrokken.")
            % {"scope": k.scope_omschrijving, "verlener": k.verlener.naam},
        )
    return _terug()

"""§3.4, §3.4.1 eHerkenning voor deze gebruiker opzeggen (R5, R19, R20)."""

from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common.errors import DomainError
from common.weergave import datum
from gebruikers import forms_mutaties as forms
from gebruikers import rules, services
from gebruikers.models import Koppeling
from gebruikers.views.popup import GET_POST, basis_context, fout, gelukt, haal_details, popup
from inloggen.sudo import vereist_recente_bevestiging

# R20: for the own middel a pop-up may come first (the rule's answer → which one).
VOORAF = {
    rules.OPZEGGEN_EIGEN_GEWEIGERD: "weigering",
    rules.OPZEGGEN_HELE_ORGANISATIE: "hele_organisatie",
}


@GET_POST
@beheerder_required
@vereist_recente_bevestiging
def opzeggen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    beheerd = {o.pk for o in request.beheer.organisaties}
    andere = [o for o in details.andere_organisaties if o.pk in beheerd]
    vooraf = ""
    if rules.is_eigen(request.user, details.middel) and request.method == "GET":
        vooraf = VOORAF.get(rules.opzeg_gevolg(details.koppeling, eigen=True), "")
    doorgaan = request.GET.get("doorgaan") == "1"
    form = forms.OpzeggenForm(
        request.POST if request.method == "POST" else None,
        andere_organisaties=andere,
        initial={"bevestig_opzeggen_organisatie": vooraf == "hele_organisatie" and doorgaan},
    )
    if request.method == "POST" and form.is_valid():
        try:
            resultaat = services.middel_opzeggen(
                actor=request.user,
                koppeling=details.koppeling,
                moment=form.cleaned_data["moment"],
                datum=form.cleaned_data["datum"],
                ook_organisaties=form.gekozen_organisaties(),
                bevestig_opzeggen_organisatie=form.cleaned_data["bevestig_opzeggen_organisatie"],
            )
        except DomainError as error:
            if error.code == rules.OPZEGGEN_EIGEN_GEWEIGERD:
                vooraf = "weigering"
            elif error.code == "bevestig_opzeggen_organisatie":
                vooraf, doorgaan = "hele_organisatie", False
            else:
                fout(form, error)
        else:
            per_direct = form.cleaned_data["moment"] == Koppeling.Opzegmoment.PER_DIRECT
            if per_direct:
                bericht = _("eHerkenning voor %(naam)s is per direct opgezegd.") % {"naam": details.persoon.naam}
            else:
                bericht = _("eHerkenning voor %(naam)s wordt opgezegd per %(datum)s.") % {
                    "naam": details.persoon.naam,
                    "datum": datum(resultaat[0].opzeggen_per),
                }
            return gelukt(request, persoon_id, bericht, verdwenen=per_direct)
    ctx = basis_context(
        request, details, form=form, vooraf=vooraf, doorgaan=doorgaan, doorgaan_post=request.method == "POST"
    )
    titel = _("eHerkenning opzeggen")
    if vooraf == "weigering":
        return popup(request, "gebruikers/mutaties/opzeggen_weigering.html", ctx, titel=titel)
    if vooraf == "hele_organisatie" and not doorgaan:
        return popup(request, "gebruikers/mutaties/opzeggen_organisatie.html", ctx, titel=titel)
    return popup(request, "gebruikers/mutaties/opzeggen.html", ctx, titel=titel)

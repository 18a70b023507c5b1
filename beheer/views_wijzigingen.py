"""Overige wijzigingen (chapter 6, R54): the manual's text, the EH3 identificatieadres note (§6.1) and the
Wijzigingsformulieren (§6.2), each downloaded as a PDF filled in with what is known."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from audit.acties import Actie
from audit.services import audit_log
from beheer import wijzigingsformulieren as wf
from beheer.decorators import beheerder_required


class PersoonKeuzeForm(forms.Form):
    """The person a form is about: a select of the organisation's people (never anyone else's)."""

    persoon = forms.TypedChoiceField(
        label=_("Persoon"), coerce=int, error_messages={"required": _("Kies de persoon voor wie dit formulier is.")}
    )

    def __init__(self, *args, formulier: wf.Formulier, personen, **kwargs):
        kwargs.setdefault("auto_id", f"id_{formulier.slug}_%s")
        super().__init__(*args, **kwargs)
        self.fields["persoon"].choices = [("", _("Kies een persoon")), *((p.pk, p.naam) for p in personen)]


@require_GET
@beheerder_required
def overige_wijzigingen(request):
    return render(request, "beheer/overige_wijzigingen.html", {"organisatie": request.beheer.organisatie})


def _persoon(request, formulier: wf.Formulier, personen):
    """The person of the download: the chosen one (a foreign or unknown id is 404, R4), the beheerder for the own
    mobile number, nobody for the organisation's forms. None with a message when a choice is missing."""
    if formulier.betreft == wf.Betreft.ZELF:
        return request.user
    if formulier.betreft == wf.Betreft.ORGANISATIE:
        return None
    gekozen = request.GET.get("persoon", "")
    if not gekozen:
        return None
    try:
        persoon_id = int(gekozen)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(personen, pk=persoon_id)


@require_GET
@beheerder_required
def wijzigingsformulieren(request):
    """The list of forms; with `?formulier=<slug>` (and `&persoon=<id>` for a form about a person) the PDF."""
    organisatie = request.beheer.organisatie
    personen = wf.personen_van(organisatie)
    fout_bij = None
    slug = request.GET.get("formulier")
    if slug is not None:
        formulier = wf.PER_SLUG.get(slug)
        if formulier is None:
            raise Http404
        persoon = _persoon(request, formulier, personen)
        if formulier.kies_persoon and persoon is None:
            fout_bij = formulier.slug
        else:
            return _download(request, formulier, persoon)
    keuzelijst = list(personen)
    formulieren = []
    for formulier in wf.FORMULIEREN:
        form = None
        if formulier.kies_persoon:
            # Bound only where the choice was missing, so that form shows why nothing was downloaded.
            form = PersoonKeuzeForm(
                request.GET if fout_bij == formulier.slug else None, formulier=formulier, personen=keuzelijst
            )
            if form.is_bound:
                form.is_valid()
        formulieren.append({"formulier": formulier, "form": form})
    return render(
        request,
        "beheer/wijzigingsformulieren.html",
        {"organisatie": organisatie, "formulieren": formulieren, "geen_personen": not keuzelijst},
    )


def _download(request, formulier: wf.Formulier, persoon) -> HttpResponse:
    organisatie = request.beheer.organisatie
    pdf = wf.formulier_pdf(formulier=formulier, organisatie=organisatie, beheerder=request.user, persoon=persoon)
    # Kept in the trail: the form carries a person's data out of the system.
    omschrijving = _("Wijzigingsformulier gedownload: %(titel)s") % {"titel": formulier.titel}
    if persoon is not None:
        omschrijving = f"{omschrijving} ({persoon.naam})"
    audit_log(
        actor=request.user,
        organisatie=organisatie,
        actie=Actie.WIJZIGINGSFORMULIER_GEDOWNLOAD,
        omschrijving=omschrijving,
        object=persoon,
        na={"formulier": formulier.slug},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{wf.bestandsnaam(formulier, organisatie)}"'
    response["Cache-Control"] = "no-store"
    return response

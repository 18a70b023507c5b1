"""The pop-ups of Groepen (R24): create, rename, delete; add and remove members; add and revoke group
machtigingen. Thin: each parses its form, calls one service and shows its refusal in place."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common.weergave import datum
from groepen import forms, selectors, services
from groepen.models import GroepMachtiging
from groepen.views._popup import GET_POST, groep_url, haal_groep, overzicht_url, popup, uitvoeren
from machtigingen.forms_toevoegen import ingediende_keuzes
from machtigingen.models import Status
from machtigingen.selectors_toevoegen import algemeen_keuzes, dienst_keuzes, dienstverlener_keuzes

MAX_PERSONEN = 100


@GET_POST
@beheerder_required
def aanmaken(request):
    form = forms.NaamForm(request.POST if request.method == "POST" else None)
    antwoord = uitvoeren(
        request,
        form,
        lambda c: services.groep_aanmaken(actor=request.user, organisatie=request.beheer.organisatie, naam=c["naam"]),
        lambda groep: _("De groep %(naam)s is aangemaakt.") % {"naam": groep.naam},
        lambda groep: groep_url(groep.pk),
    )
    return antwoord or popup(
        request, "groepen/naam.html", {"form": form}, titel=_("Nieuwe groep"), terug_url=overzicht_url()
    )


@GET_POST
@beheerder_required
def hernoemen(request, groep_id: int):
    groep = haal_groep(request, groep_id)
    form = forms.NaamForm(request.POST if request.method == "POST" else None, initial={"naam": groep.naam})
    antwoord = uitvoeren(
        request,
        form,
        lambda c: services.groep_hernoemen(actor=request.user, groep=groep, naam=c["naam"]),
        lambda g: _("De groep heet nu %(naam)s.") % {"naam": g.naam},
        groep_url(groep.pk),
    )
    return antwoord or popup(
        request,
        "groepen/naam.html",
        {"form": form, "groep": groep},
        titel=_("Groep hernoemen"),
        terug_url=groep_url(groep.pk),
    )


@GET_POST
@beheerder_required
def verwijderen(request, groep_id: int):
    groep = haal_groep(request, groep_id)
    form = forms.BevestigForm(request.POST if request.method == "POST" else None)
    antwoord = uitvoeren(
        request,
        form,
        lambda c: services.groep_verwijderen(actor=request.user, groep=groep),
        lambda beeindigd: (
            _("De groep %(naam)s is verwijderd; %(aantal)d machtiging(en) van de groep zijn beëindigd.")
            % {"naam": groep.naam, "aantal": len(beeindigd)}
            if beeindigd
            else _("De groep %(naam)s is verwijderd.") % {"naam": groep.naam}
        ),
        overzicht_url(),
    )
    if antwoord:
        return antwoord
    machtigingen = list(
        selectors.lopende_groep_machtigingen(groep).select_related("dienst__dienstverlener", "dienstverlener")
    )
    return popup(
        request,
        "groepen/verwijderen.html",
        {"form": form, "groep": groep, "machtigingen": machtigingen},
        titel=_("Groep verwijderen"),
        terug_url=groep_url(groep.pk),
    )


@GET_POST
@beheerder_required
def leden_toevoegen(request, groep_id: int):
    groep = haal_groep(request, groep_id)
    data = request.POST if request.method == "POST" else request.GET
    zoek = data.get("zoek", "").strip()[:100]
    kandidaten = selectors.kandidaat_leden(request.beheer.organisatie, groep, zoek=zoek, limiet=MAX_PERSONEN)
    meer = len(kandidaten) > MAX_PERSONEN
    form = forms.LedenForm(
        request.POST if request.method == "POST" else None,
        kandidaten=kandidaten[:MAX_PERSONEN],
        zoek_url=f"{request.path}?deel=personen",
        initial={"zoek": zoek},
    )
    antwoord = uitvoeren(
        request,
        form,
        lambda c: services.leden_toevoegen(actor=request.user, groep=groep, middelen=c["leden"]),
        lambda nieuw: (
            _("%(aantal)d persoon/personen toegevoegd aan de groep %(naam)s.")
            % {"aantal": len(nieuw), "naam": groep.naam}
        ),
        groep_url(groep.pk),
    )
    if antwoord:
        return antwoord
    ctx = {"form": form, "groep": groep, "meer": meer, "zoek": zoek}
    if request.htmx and request.GET.get("deel") == "personen":
        return render(request, "groepen/leden.html#personen", {**ctx, "actie_url": request.path})
    return popup(request, "groepen/leden.html", ctx, titel=_("Voeg personen toe"), terug_url=groep_url(groep.pk))


@GET_POST
@beheerder_required
def lid_verwijderen(request, groep_id: int, middel_id: int):
    groep = haal_groep(request, groep_id)
    lid = (
        selectors.huidige_leden(groep)
        .filter(koppeling__middel_id=middel_id)
        .select_related("koppeling__middel__persoon")
        .first()
    )
    if lid is None:
        raise Http404
    persoon = lid.koppeling.middel.persoon
    form = forms.BevestigForm(request.POST if request.method == "POST" else None)
    antwoord = uitvoeren(
        request,
        form,
        lambda c: services.lid_verwijderen(actor=request.user, groep=groep, middel=middel_id),
        lambda _r: (
            _("%(persoon)s is uit de groep %(naam)s verwijderd.") % {"persoon": persoon.naam, "naam": groep.naam}
        ),
        groep_url(groep.pk),
    )
    return antwoord or popup(
        request,
        "groepen/lid_verwijderen.html",
        {
            "form": form,
            "groep": groep,
            "persoon": persoon,
            "heeft_machtigingen": selectors.lopende_groep_machtigingen(groep).exists(),
        },
        titel=_("Verwijder uit de groep"),
        terug_url=groep_url(groep.pk),
    )


@GET_POST
@beheerder_required
def machtiging_toevoegen(request, groep_id: int):
    groep = haal_groep(request, groep_id)
    data = request.POST if request.method == "POST" else request.GET
    beheerder_niveau = request.beheer.middel.niveau
    gekozen = ingediende_keuzes(data)
    form = forms.GroepMachtigingForm(
        request.POST if request.method == "POST" else None,
        zoek_url=f"{request.path}?deel=diensten",
        # "Verleng machtiging" (R34) opens this pop-up with the scope chosen: adding it again extends it (R36).
        initial=gekozen,
    )
    # R39: above the beheerder's own niveau shown greyed with why (members below a niveau show on the group's page).
    diensten, meer = dienst_keuzes(beheerder_niveau=beheerder_niveau, zoek=gekozen["zoek"], gekozen=gekozen["dienst"])
    form.toon(
        algemeen=algemeen_keuzes(beheerder_niveau=beheerder_niveau),
        diensten=diensten,
        dienstverleners=dienstverlener_keuzes(
            beheerder_niveau=beheerder_niveau,
            zoek=gekozen["zoek"],
            gekozen=gekozen["dienstverlener"],
            te_hoog_tonen=True,
        ),
    )
    antwoord = uitvoeren(
        request,
        form,
        lambda c: services.groep_machtiging_toevoegen(
            actor=request.user,
            groep=groep,
            diensten=c["dienst"],
            algemene_niveaus=c["algemeen"],
            dienstverleners=c["dienstverlener"],
            eindigt_op=form.service_keuze(),
        ),
        lambda ms: (
            _("De machtiging(en) van de groep %(naam)s zijn toegevoegd, geldig tot %(datum)s.")
            % {"naam": groep.naam, "datum": datum(ms[0].eindigt_op)}
        ),
        groep_url(groep.pk),
    )
    if antwoord:
        return antwoord
    ctx = {"form": form, "groep": groep, "meer": meer}
    if request.htmx and request.GET.get("deel") == "diensten":
        return render(request, "groepen/machtiging_toevoegen.html#diensten", {**ctx, "actie_url": request.path})
    return popup(
        request,
        "groepen/machtiging_toevoegen.html",
        ctx,
        titel=_("Voeg machtiging toe aan de groep"),
        terug_url=groep_url(groep.pk),
    )


@GET_POST
@beheerder_required
def machtiging_intrekken(request, groep_id: int, machtiging_id: int):
    groep = haal_groep(request, groep_id)
    machtiging = (
        GroepMachtiging.objects.filter(groep=groep, pk=machtiging_id, status=Status.ACTIEF)
        .select_related("dienst__dienstverlener", "dienstverlener")
        .first()
    )
    if machtiging is None:
        raise Http404
    form = forms.BevestigForm(request.POST if request.method == "POST" else None)
    antwoord = uitvoeren(
        request,
        form,
        lambda c: services.groep_machtiging_intrekken(actor=request.user, groep_machtiging=machtiging),
        lambda m: (
            _("De machtiging %(scope)s van de groep %(naam)s is ingetrokken.")
            % {"scope": m.scope_omschrijving, "naam": groep.naam}
        ),
        groep_url(groep.pk),
    )
    return antwoord or popup(
        request,
        "groepen/machtiging_intrekken.html",
        {"form": form, "groep": groep, "machtiging": machtiging},
        titel=_("Machtiging intrekken"),
        terug_url=groep_url(groep.pk),
    )

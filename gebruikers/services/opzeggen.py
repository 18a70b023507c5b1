"""R19, R20: terminating a user's eHerkenning (§3.4)."""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from berichten.meldingen import meld_middel_opgezegd
from common.dates import vandaag
from common.errors import DomainError
from common.locks import vergrendel
from gebruikers import rules
from gebruikers.models import Koppeling, Persoon
from gebruikers.selectors import VERBORGEN_STATUSSEN
from gebruikers.services._common import (
    _BEVESTIG_OPZEGGEN_ORGANISATIE,
    _EIGEN_MIDDEL_NIET_OPZEGGEN,
    _koppeling_bij,
    _middelen_beeindigen,
    _r5_geweigerd,
    _vereis_beheerder,
)
from gebruikers.standen import koppeling_stand
from machtigingen.models import Machtiging
from machtigingen.services import machtigingen_beeindigen
from organisaties.models import Organisatie


@transaction.atomic
def middel_opzeggen(
    *,
    actor: Persoon,
    koppeling: Koppeling,
    moment: str,
    datum: dt.date | None = None,
    ook_organisaties=(),
    bevestig_opzeggen_organisatie: bool = False,
) -> list[Koppeling]:
    """Terminate a user's eHerkenning (§3.4): per direct, on a future date, or at the end of the contract,
    for this organisation and optionally the other organisations of the same middel where the actor is beheerder.

    R5: never leaves an organisation without a beheerder at any date: a beheerder whose termination is planned
    counts only until that day, so some beheerder without a planned end must remain (the job re-checks). R20: the only beheerder terminating their own middel is refused while
    other users remain; when none remain it terminates the whole organisation, only when confirmed.
    """
    org_ids = [koppeling.organisatie_id, *(o.pk for o in ook_organisaties)]
    # The middel too, before its machtigingen: ending it (R19) must not wait on a machtiging_toevoegen that
    # holds the middel and waits for those machtigingen (issue #14).
    vergrendel(organisaties=org_ids, middelen=[koppeling.middel_id])
    _vereis_beheerder(actor, org_ids)
    koppeling = Koppeling.objects.select_related("middel__persoon", "organisatie").get(pk=koppeling.pk)
    if koppeling.status == Koppeling.Status.BEEINDIGD:
        raise DomainError(_("Deze gebruiker is niet meer gekoppeld aan deze organisatie."), rule="R19")
    middel = koppeling.middel
    doelen = [koppeling]
    for org_id in dict.fromkeys(org_ids[1:]):
        if org_id == koppeling.organisatie_id:
            continue
        doel = _koppeling_bij(middel, org_id)
        doel.middel = middel
        doelen.append(doel)
    dag = vandaag()
    per: dict[int, dt.date | None] = {}
    for doel in doelen:
        if moment == Koppeling.Opzegmoment.PER_DIRECT:
            per[doel.pk] = None
        elif moment == Koppeling.Opzegmoment.DATUM:
            if datum is None or datum <= dag:
                raise DomainError(_("Kies een datum in de toekomst."), rule="R19", code="datum")
            per[doel.pk] = datum
        elif moment == Koppeling.Opzegmoment.EINDE_CONTRACT:
            if doel.abonnement_eind is None or doel.abonnement_eind <= dag:
                raise DomainError(
                    _("Er is geen lopende contractperiode om aan het einde van op te zeggen."), rule="R19"
                )
            per[doel.pk] = doel.abonnement_eind
        else:
            raise DomainError(_("Kies per wanneer u eHerkenning wilt opzeggen."), rule="R19", code="moment")

    eigen = rules.is_eigen(actor, middel)
    organisatie_opzeggen: list[int] = []
    for doel in doelen:
        # R5 at every date from `per` on, counted inside the locks taken above (issue #14).
        vooruitzicht = rules.opzeg_vooruitzicht(doel, per=per[doel.pk])
        gevolg = rules.opzeg_gevolg(doel, eigen=eigen, vooruitzicht=vooruitzicht)
        if gevolg == rules.OPZEGGEN_MAG:
            continue
        if gevolg == rules.OPZEGGEN_EIGEN_GEWEIGERD:
            raise DomainError(_EIGEN_MIDDEL_NIET_OPZEGGEN, rule="R20", code="eigen_middel_laatste_beheerder")
        if gevolg == rules.OPZEGGEN_LAATSTE_BEHEERDER:
            raise _r5_geweigerd(vooruitzicht)
        # Nobody else remains: this terminates eHerkenning for the whole organisation (§3.4.1), on the day the
        # last one leaves (today, or the planned day of another koppeling: then the job ends it).
        if not bevestig_opzeggen_organisatie:
            raise DomainError(_BEVESTIG_OPZEGGEN_ORGANISATIE, rule="R20", code="bevestig_opzeggen_organisatie")
        organisatie_opzeggen.append(doel.organisatie_id)

    voor = {d.pk: koppeling_stand(d) for d in doelen}
    ids = [d.pk for d in doelen]
    if moment == Koppeling.Opzegmoment.PER_DIRECT:
        Koppeling.objects.filter(pk__in=ids).update(
            status=Koppeling.Status.BEEINDIGD,
            beeindigd_op=dag,
            opzegmoment=moment,
            opzeggen_per=None,
            automatische_verlenging=False,
        )
        machtigingen_beeindigen(
            Machtiging.objects.filter(middel=middel, organisatie_id__in=[d.organisatie_id for d in doelen]),
            door=actor,
            reden=_("eHerkenning opgezegd"),
        )
        _middelen_beeindigen([middel.pk], dag=dag)
        if organisatie_opzeggen:
            # Only where nobody is left now; where someone leaves on a planned day the job ends it then (R20).
            Organisatie.objects.filter(pk__in=organisatie_opzeggen).exclude(
                Exists(
                    Koppeling.objects.lopend()
                    .filter(organisatie_id=OuterRef("pk"))
                    .exclude(middel__status__in=VERBORGEN_STATUSSEN)
                )
            ).update(status=Organisatie.Status.OPGEZEGD, opgezegd_op=dag)
    else:
        for doel in doelen:  # at most a handful: the organisations of one person
            Koppeling.objects.filter(pk=doel.pk).update(
                opzeggen_per=per[doel.pk], opzegmoment=moment, automatische_verlenging=False
            )
    resultaat = list(Koppeling.objects.select_related("organisatie", "middel__persoon").filter(pk__in=ids))
    for k in resultaat:
        audit_log(
            actor=actor,
            organisatie=k.organisatie,
            actie=Actie.KOPPELING_OPGEZEGD
            if moment == Koppeling.Opzegmoment.PER_DIRECT
            else Actie.KOPPELING_OPZEGGING_GEPLAND,
            omschrijving=_("eHerkenning van %(naam)s opgezegd: %(moment)s")
            % {"naam": middel.persoon.naam, "moment": Koppeling.Opzegmoment(moment).label},
            object=k,
            voor=voor[k.pk],
            na={**koppeling_stand(k), "organisatie_opgezegd": k.organisatie_id in organisatie_opzeggen},
        )
    meld_middel_opgezegd(koppelingen=resultaat, door=actor, organisaties_opgezegd=organisatie_opzeggen)
    return resultaat

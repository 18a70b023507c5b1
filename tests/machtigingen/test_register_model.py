"""The Machtigingenregister against a deliberately simple reference model (R71, R72, R32).

Hypothesis generates random populations as plain tuples; the reference decides over those tuples in plain
Python, the register over the database built from them. Every (middel, organisatie, dienst) triple must get
the same yes/no, and the register's path and reasons must agree with its answer.
"""

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import event, given, settings, target
from hypothesis import strategies as st

from catalogus.models import Dienst, Dienstverlener
from gebruikers.models import Koppeling, Middel, Persoon
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Machtiging
from machtigingen.register import BELASTINGDIENST_OIN, PadSoort, RedenCode, Vraag, beslis, beslis_batch
from organisaties.models import Organisatie

D0 = dt.date(2025, 6, 15)
ORGS = 3

# Favourable values first and repeated: Hypothesis starts from the first element, and a population where
# almost everything is refused would test little of the permitting paths.
MIDDEL_STATUS = ["actief"] * 6 + ["wachten_op_activatie", "beeindigd"]
MIDDEL_NIVEAU = [30, 40, 30, 25, 20]
MIDDEL_TYPE = ["regulier"] * 4 + ["belastingdienst"]
DIENST_NIVEAU = [25, 10, 20, 30, 40]
INTERMEDIATIE = ["generalAvailable", "noIntermediation", "serviceProviderOnly", "requiresApproval"]
INGETROKKEN = [False] * 8 + [True]
STATUS = ["actief", "actief", "actief", "actief", "verlopen", "ingetrokken"]
KOPPELING = ["actief", "actief", "geen", "actief", "aangevraagd", "beeindigd", "opgezegd"]


# ------------------------------------------------------------------------------------------ the population


@dataclass(frozen=True)
class Wereld:
    dienstverleners: tuple  # (is_belastingdienst, ingetrokken)
    diensten: tuple  # (dienstverlener, niveau, intermediatie, ingetrokken)
    middelen: tuple  # (status, niveau, type)
    koppelingen: tuple  # (middel, organisatie, status, opzeggen_per | None)
    machtigingen: tuple  # (middel, organisatie, scope, status, begint_op, eindigt_op)
    keten: tuple  # (verlener, intermediair, scope, status, begint_op, eindigt_op)
    links: frozenset  # (keten index, middel)
    dag: dt.date


def _datum(offset: int) -> dt.date:
    return D0 + dt.timedelta(days=offset)


@st.composite
def werelden(draw) -> Wereld:
    n_dv = draw(st.integers(2, 3))
    dienstverleners = tuple(
        (draw(st.booleans()) if i == 0 else False, draw(st.sampled_from(INGETROKKEN))) for i in range(n_dv)
    )
    diensten = tuple(
        draw(
            st.lists(
                st.tuples(
                    st.integers(0, n_dv - 1),
                    st.sampled_from(DIENST_NIVEAU),
                    st.sampled_from(INTERMEDIATIE),
                    st.sampled_from(INGETROKKEN),
                ),
                min_size=2,
                max_size=6,
            )
        )
    )
    middelen = tuple(
        draw(
            st.lists(
                st.tuples(
                    st.sampled_from(MIDDEL_STATUS),
                    st.sampled_from(MIDDEL_NIVEAU),
                    st.sampled_from(MIDDEL_TYPE),
                ),
                min_size=1,
                max_size=4,
            )
        )
    )
    koppelingen = []
    for m, o in itertools.product(range(len(middelen)), range(ORGS)):
        soort = draw(st.sampled_from(KOPPELING))
        if soort == "opgezegd":
            koppelingen.append((m, o, "actief", _datum(draw(st.integers(-4, 4)))))
        elif soort != "geen":
            koppelingen.append((m, o, soort, None))

    def scope():
        return draw(
            st.one_of(
                st.tuples(st.just("dienst"), st.integers(0, len(diensten) - 1)),
                st.tuples(st.just("algemeen"), st.sampled_from(DIENST_NIVEAU)),
                st.tuples(st.just("dienstverlener"), st.integers(0, n_dv - 1)),
            )
        )

    def periode():
        begin = draw(st.integers(-6, 3))
        return _datum(begin), _datum(begin + draw(st.integers(1, 10)))

    machtigingen = tuple(
        (
            draw(st.integers(0, len(middelen) - 1)),
            draw(st.integers(0, ORGS - 1)),
            scope(),
            draw(st.sampled_from(STATUS)),
        )
        + periode()
        for _i in range(draw(st.integers(2, 10)))
    )
    keten = []
    for _i in range(draw(st.integers(1, 4))):
        verlener = draw(st.integers(0, ORGS - 1))
        intermediair = draw(st.sampled_from([o for o in range(ORGS) if o != verlener]))
        keten.append((verlener, intermediair, scope(), draw(st.sampled_from(STATUS)), *periode()))
    # Each ketenmachtiging linked to some middelen (the intermediair's or not: the register must cope).
    links = frozenset(
        (k, m) for k in range(len(keten)) for m in range(len(middelen)) if draw(st.sampled_from([True, True, False]))
    )
    return Wereld(
        dienstverleners=dienstverleners,
        diensten=diensten,
        middelen=middelen,
        koppelingen=tuple(koppelingen),
        machtigingen=machtigingen,
        keten=tuple(keten),
        links=links,
        dag=_datum(draw(st.integers(-2, 2))),
    )


# ------------------------------------------------------------------------------------------ the reference


def ref_toegestaan(w: Wereld, m: int, o: int, d: int) -> bool:
    status, niveau, soort = w.middelen[m]
    dv, dienst_niveau, intermediatie, ingetrokken = w.diensten[d]
    dv_is_bd, dv_ingetrokken = w.dienstverleners[dv]
    dag = w.dag
    if status != "actief" or ingetrokken or dv_ingetrokken or niveau < dienst_niveau:
        return False
    if soort == "belastingdienst" and not dv_is_bd:
        return False

    def dekt(scope):
        kind, waarde = scope
        if kind == "dienst":
            return waarde == d
        if kind == "algemeen":
            return dienst_niveau <= waarde
        return waarde == dv

    def geldig(status, begin, eind):
        return status == "actief" and begin <= dag < eind

    def gekoppeld(middel, org):
        return any(
            km == middel and ko == org and ks == "actief" and (per is None or dag < per)
            for km, ko, ks, per in w.koppelingen
        )

    direct = gekoppeld(m, o) and any(
        mm == m and mo == o and dekt(scope) and geldig(s, b, e) for mm, mo, scope, s, b, e in w.machtigingen
    )
    via_keten = any(
        verlener == o
        and dekt(scope)
        and geldig(s, b, e)
        and intermediatie == "generalAvailable"
        and (i, m) in w.links
        and gekoppeld(m, intermediair)
        and soort == "regulier"
        and niveau >= 30
        for i, (verlener, intermediair, scope, s, b, e) in enumerate(w.keten)
    )
    return direct or via_keten


# ------------------------------------------------------------------------------------------ the database


_teller = itertools.count()


def bouw(w: Wereld):
    n = next(_teller)
    orgs = [
        Organisatie.objects.create(naam=f"Org {n}-{i}", kvk_nummer=f"{(n * 10 + i) % 10**8:08d}") for i in range(ORGS)
    ]
    dvs = [
        Dienstverlener.objects.create(
            oin=BELASTINGDIENST_OIN if is_bd else f"9{n:09d}{i:010d}", naam=f"DV {n}-{i}", ingetrokken=ingetrokken
        )
        for i, (is_bd, ingetrokken) in enumerate(w.dienstverleners)
    ]
    diensten = [
        Dienst.objects.create(
            service_uuid=uuid.uuid4(),
            dienstverlener=dvs[dv],
            naam=f"Dienst {i}",
            niveau=niveau,
            intermediatie=intermediatie,
            ingetrokken=ingetrokken,
        )
        for i, (dv, niveau, intermediatie, ingetrokken) in enumerate(w.diensten)
    ]
    middelen = []
    for i, (status, niveau, soort) in enumerate(w.middelen):
        persoon = Persoon.objects.create(username=f"p{n}-{i}", voornamen="Test", achternaam=f"P{i}", email="p@x.nl")
        middelen.append(Middel.objects.create(persoon=persoon, niveau=niveau, type=soort, status=status))
    Koppeling.objects.bulk_create(
        Koppeling(middel=middelen[m], organisatie=orgs[o], status=status, opzeggen_per=per)
        for m, o, status, per in w.koppelingen
    )

    def scope_velden(scope):
        kind, waarde = scope
        if kind == "dienst":
            return {"scope": kind, "dienst": diensten[waarde]}
        if kind == "algemeen":
            return {"scope": kind, "niveau": waarde}
        return {"scope": kind, "dienstverlener": dvs[waarde]}

    machtigingen = [
        Machtiging.objects.create(
            middel=middelen[m], organisatie=orgs[o], status=s, begint_op=b, eindigt_op=e, **scope_velden(scope)
        )
        for m, o, scope, s, b, e in w.machtigingen
    ]
    keten = [
        Ketenmachtiging.objects.create(
            verlener=orgs[v], intermediair=orgs[i], status=s, begint_op=b, eindigt_op=e, **scope_velden(scope)
        )
        for v, i, scope, s, b, e in w.keten
    ]
    KetenmachtigingMiddel.objects.bulk_create(
        KetenmachtigingMiddel(ketenmachtiging=keten[k], middel=middelen[m]) for k, m in w.links
    )
    return orgs, diensten, middelen, machtigingen, keten


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(w=werelden())
def test_r71_r72_register_agrees_with_reference_model(w):
    # Each example in its own transaction, rolled back: the examples do not see each other's rows.
    with transaction.atomic():
        orgs, diensten, middelen, machtigingen, keten = bouw(w)
        machtiging_index = {obj.pk: i for i, obj in enumerate(machtigingen)}
        keten_index = {obj.pk: i for i, obj in enumerate(keten)}
        triples = list(itertools.product(range(len(middelen)), range(ORGS), range(len(diensten))))
        # Steer generation towards populations where something is permitted, so every path gets exercised.
        target(float(sum(ref_toegestaan(w, *t) for t in triples)), label="toegestaan")
        batch = beslis_batch(
            [Vraag(middel=middelen[m], organisatie=orgs[o], dienst=diensten[d]) for m, o, d in triples], moment=w.dag
        )
        for (m, o, d), uit_batch in zip(triples, batch, strict=True):
            beslissing = uit_batch
            # The single decision must equal the batch's; checking a third of the triples keeps this fast.
            if (m + o + d) % 3 == 0:
                assert beslis(middel=middelen[m], organisatie=orgs[o], dienst=diensten[d], moment=w.dag) == uit_batch
            verwacht = ref_toegestaan(w, m, o, d)
            assert beslissing.toegestaan == verwacht, (m, o, d, beslissing)
            codes = {r.code for r in beslissing.redenen}
            if beslissing.toegestaan:
                event(f"ja via {beslissing.pad.soort}")
                assert beslissing.pad is not None and not beslissing.redenen
                pad = beslissing.pad
                if pad.soort == PadSoort.KETENMACHTIGING:
                    verlener, intermediair, scope, *_rest = w.keten[keten_index[pad.ketenmachtiging_id]]
                    assert verlener == o and (keten_index[pad.ketenmachtiging_id], m) in w.links
                    assert pad.intermediair_id == orgs[intermediair].pk
                else:
                    mm, mo, scope, *_rest = w.machtigingen[machtiging_index[pad.machtiging_id]]
                    assert (mm, mo) == (m, o)
                    assert (
                        pad.soort
                        == {
                            "dienst": PadSoort.DIRECT,
                            "algemeen": PadSoort.ALGEMENE_BEVOEGDHEID,
                            "dienstverlener": PadSoort.DIENSTVERLENERSMACHTIGING,
                        }[scope[0]]
                    )
            else:
                assert beslissing.pad is None and len(beslissing.redenen) >= 1
                status, niveau, _soort = w.middelen[m]
                if status != "actief":
                    assert RedenCode.MIDDEL_NIET_ACTIEF in codes
                if niveau < w.diensten[d][1]:
                    assert RedenCode.NIVEAU_TE_LAAG in codes
        transaction.set_rollback(True)

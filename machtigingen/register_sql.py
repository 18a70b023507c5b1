"""The six queries that load the facts of a batch of questions for the Machtigingenregister (`register_feiten`),
and the API's query of middelen by public id, whose rows stand in for the first.

Written as SQL, not built with the ORM: for a question nobody asked before, building and compiling these six
querysets took twice the time the database took to answer them (a union over the groups, a join with the
approvals), and the register answers brokers while a person waits to log in. The SQL is the ORM's own for the
same querysets, portable between SQLite and PostgreSQL (`IN` lists of placeholders, values adapted by the
backend, dates and booleans converted by the driver); the register's tests run on both.

A query whose `IN` list would be empty is not sent, as the ORM does not send one (its result is empty).
"""

# Every value goes as a parameter; only our table names and the number of placeholders are written into the text.
# ruff: noqa: S608

import datetime as dt
import uuid
from collections.abc import Collection, Iterable

from django.db import connection

from catalogus.models import Dienst, Dienstverlener, IntermediairGoedkeuring
from gebruikers.models import Koppeling, Middel
from groepen.models import Groep, GroepLid, GroepMachtiging
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Machtiging, Scope

_T = {
    model.__name__: connection.ops.quote_name(model._meta.db_table)
    for model in (
        Dienst,
        Dienstverlener,
        IntermediairGoedkeuring,
        Koppeling,
        Middel,
        Groep,
        GroepLid,
        GroepMachtiging,
        Ketenmachtiging,
        KetenmachtigingMiddel,
        Machtiging,
    )
}
_LOPEND = (str(Koppeling.Status.AANGEVRAAGD), str(Koppeling.Status.ACTIEF))
# The columns a machtiging, a group's machtiging and a ketenmachtiging share, in the order the decision reads them.
_SCOPE_VELDEN = (
    "{a}.scope, {a}.dienst_id, {a}.niveau, {a}.dienstverlener_id, {a}.status, {a}.begint_op, {a}.eindigt_op,"
    " {a}.termijn_begint_op"
)


def _in(waarden: Collection) -> str:
    return "(" + ", ".join(["%s"] * len(waarden)) + ")"


def _een_van(*delen: tuple[str, Collection]) -> tuple[str, list]:
    """`column IN (...) OR ...` over the (column, values) pairs whose values are not empty ("" when all are)."""
    sql, params = [], []
    for kolom, waarden in delen:
        if waarden:
            sql.append(f"{kolom} IN {_in(waarden)}")
            params += list(waarden)
    return " OR ".join(sql), params


def _rijen(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _uuid(waarde) -> uuid.UUID:
    return waarde if isinstance(waarde, uuid.UUID) else uuid.UUID(waarde)  # SQLite keeps them as hex text


_MIDDEL_VELDEN = "id, persoon_id, status, niveau, type"


def middelen_per_publieke_id(publieke_ids: Collection[uuid.UUID]) -> list[tuple]:
    """(publieke_id, then as `middelen`) of the middelen with these public ids (the API's subject)."""
    if not publieke_ids:
        return []
    veld = Middel._meta.get_field("publieke_id")
    rijen = _rijen(
        f"SELECT publieke_id, {_MIDDEL_VELDEN} FROM {_T['Middel']} WHERE publieke_id IN {_in(publieke_ids)}",
        [veld.get_db_prep_value(u, connection) for u in publieke_ids],
    )
    return [(_uuid(r[0]), *r[1:]) for r in rijen]


def middelen(pks: Collection[int], persoon_pks: Collection[int]) -> list[tuple]:
    """(pk, persoon_id, status, niveau, type) of these middelen and of these personen's middelen."""
    waar, params = _een_van(("id", pks), ("persoon_id", persoon_pks))
    if not waar:
        return []
    return _rijen(f"SELECT {_MIDDEL_VELDEN} FROM {_T['Middel']} WHERE {waar}", params)


def diensten(pks: Collection[int], uuids: Collection[uuid.UUID]) -> list[tuple]:
    """(pk, service_uuid, niveau, intermediatie, ingetrokken, dienstverlener_id, the dienstverlener's ingetrokken and
    oin) of these diensten, by pk or ServiceUUID."""
    veld = Dienst._meta.get_field("service_uuid")
    waar, params = _een_van(("d.id", pks), ("d.service_uuid", [veld.get_db_prep_value(u, connection) for u in uuids]))
    if not waar:
        return []
    rijen = _rijen(
        "SELECT d.id, d.service_uuid, d.niveau, d.intermediatie, d.ingetrokken, d.dienstverlener_id, v.ingetrokken,"
        f" v.oin FROM {_T['Dienst']} d INNER JOIN {_T['Dienstverlener']} v ON d.dienstverlener_id = v.id"
        f" WHERE {waar}",
        params,
    )
    return [(r[0], _uuid(r[1]), *r[2:]) for r in rijen]


def koppelingen(middel_pks: Collection[int]) -> list[tuple]:
    """(middel_id, organisatie_id, status, opzeggen_per) of every koppeling of these middelen."""
    if not middel_pks:
        return []
    return _rijen(
        f"SELECT middel_id, organisatie_id, status, opzeggen_per FROM {_T['Koppeling']} WHERE middel_id IN"
        f" {_in(middel_pks)}",
        list(middel_pks),
    )


def _scope(alias: str, dienst_pks: Collection[int], min_niveau: int, dienstverlener_pks: Collection[int]):
    """Which (group, keten)machtigingen may cover one of these diensten (R32, R70)."""
    sql = (
        f"(({alias}.scope = %s AND {alias}.dienst_id IN {_in(dienst_pks)})"
        f" OR ({alias}.scope = %s AND {alias}.niveau >= %s)"
        f" OR ({alias}.scope = %s AND {alias}.dienstverlener_id IN {_in(dienstverlener_pks)}))"
    )
    params = [
        str(Scope.DIENST),
        *dienst_pks,
        str(Scope.ALGEMEEN),
        min_niveau,
        str(Scope.DIENSTVERLENER),
        *dienstverlener_pks,
    ]
    return sql, params


def machtigingen(middel_pks: Collection[int], org_pks: Collection[int], diensten: Iterable) -> list[tuple]:
    """The machtigingen of these middelen at these organisaties that may cover one of these diensten, any status,
    and (UNION ALL) those of the groups each middel is a current member of there (R24): (pk, middel_id,
    organisatie_id, scope, dienst_id, niveau, dienstverlener_id, status, begint_op, eindigt_op, termijn_begint_op,
    groep_id or NULL for an own machtiging)."""
    diensten = list(diensten)
    if not (middel_pks and org_pks and diensten):
        return []
    dienst_pks = sorted({d.pk for d in diensten})
    verlener_pks = sorted({d.dienstverlener_id for d in diensten})
    min_niveau = min(d.niveau for d in diensten)
    eigen_scope, eigen_params = _scope("m", dienst_pks, min_niveau, verlener_pks)
    groep_scope, groep_params = _scope("g", dienst_pks, min_niveau, verlener_pks)
    velden = "{a}.id, {mid}, {org}, " + _SCOPE_VELDEN
    sql = (
        f"SELECT {velden.format(a='m', mid='m.middel_id', org='m.organisatie_id')}, NULL"
        f" FROM {_T['Machtiging']} m"
        f" WHERE m.middel_id IN {_in(middel_pks)} AND m.organisatie_id IN {_in(org_pks)} AND {eigen_scope}"
        " UNION ALL"
        f" SELECT {velden.format(a='g', mid='k.middel_id', org='gr.organisatie_id')}, g.groep_id"
        f" FROM {_T['GroepMachtiging']} g"
        f" INNER JOIN {_T['Groep']} gr ON g.groep_id = gr.id"
        f" INNER JOIN {_T['GroepLid']} l ON gr.id = l.groep_id"
        f" INNER JOIN {_T['Koppeling']} k ON l.koppeling_id = k.id"
        f" WHERE k.middel_id IN {_in(middel_pks)} AND k.organisatie_id = gr.organisatie_id"
        f" AND k.status IN {_in(_LOPEND)} AND gr.opgeheven_op IS NULL AND gr.organisatie_id IN {_in(org_pks)}"
        f" AND {groep_scope}"
    )
    params = [*middel_pks, *org_pks, *eigen_params, *middel_pks, *_LOPEND, *org_pks, *groep_params]
    return _rijen(sql, params)


def keten_links(middel_pks: Collection[int], verlener_pks: Collection[int]) -> list[tuple]:
    """(ketenmachtiging_id, middel_id): which ketenmachtigingen of these verleners are linked to these middelen."""
    if not (middel_pks and verlener_pks):
        return []
    return _rijen(
        f"SELECT km.ketenmachtiging_id, km.middel_id FROM {_T['KetenmachtigingMiddel']} km"
        f" INNER JOIN {_T['Ketenmachtiging']} k ON km.ketenmachtiging_id = k.id"
        f" WHERE k.verlener_id IN {_in(verlener_pks)} AND km.middel_id IN {_in(middel_pks)}",
        [*verlener_pks, *middel_pks],
    )


def ketenmachtigingen(
    verlener_pks: Collection[int],
    keten_pks: Collection[int],
    intermediair_pks: Collection[int],
    *,
    goedkeuring_diensten: Collection[int],
    einde_dag: dt.datetime,
) -> list[tuple]:
    """The ketenmachtigingen of these verleners that are one of `keten_pks` or issued to one of
    `intermediair_pks`, by pk: (pk, verlener_id, intermediair_id, scope, dienst_id, niveau, dienstverlener_id,
    status, begint_op, eindigt_op, termijn_begint_op, a dienst of `goedkeuring_diensten` the intermediair was
    approved for on the day, or NULL). A row per approval (LEFT JOIN): an approval is valid on the day when recorded
    before its end and not revoked before its end (R75)."""
    welke, welke_params = _een_van(("k.id", keten_pks), ("k.intermediair_id", intermediair_pks))
    if not (verlener_pks and welke):
        return []
    goedkeuring, join, join_params = "NULL", "", []
    if goedkeuring_diensten:
        einde = connection.ops.adapt_datetimefield_value(einde_dag)
        goedkeuring = "gk.dienst_id"
        join = (
            f" LEFT OUTER JOIN {_T['IntermediairGoedkeuring']} gk ON (k.intermediair_id = gk.intermediair_id"
            f" AND gk.dienst_id IN {_in(goedkeuring_diensten)} AND gk.goedgekeurd_op < %s"
            " AND (gk.ingetrokken_op IS NULL OR gk.ingetrokken_op >= %s))"
        )
        join_params = [*goedkeuring_diensten, einde, einde]
    sql = (
        f"SELECT k.id, k.verlener_id, k.intermediair_id, {_SCOPE_VELDEN.format(a='k')},"
        f" {goedkeuring} FROM {_T['Ketenmachtiging']} k{join}"
        f" WHERE k.verlener_id IN {_in(verlener_pks)} AND ({welke}) ORDER BY k.id"
    )
    return _rijen(sql, [*join_params, *verlener_pks, *welke_params])

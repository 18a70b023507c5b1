"""R74: every function of the domain layer that changes data writes an audit record.

The functions are found, not listed: every public function in an app's `services` (module or package) is read
with `ast`. A function *writes* when it, or a function of the domain layer it calls, saves, creates, updates or
deletes through the ORM (or runs raw SQL); it *audits* when it, or a function it calls, calls `audit_log`,
`audit_bulk` or `audit_per_organisatie` (or writes AuditEntry rows itself). Every writing function must audit.
The call graph is followed through the services and rules modules (names resolved by import), so a service
that delegates its write and its audit to a helper passes, and one that forgets the audit fails.

Static on purpose: it covers every path of every function, including refusals and rarely-taken branches that a
call with sample data would not reach. Exceptions are named below with the reason.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "audit",
    "facturatie",
    "gebruikers",
    "groepen",
    "handelsregister",
    "inloggen",
    "ketenmachtigingen",
    "machtigingen",
    "organisaties",
    "support",
    "catalogus",
    "api",
]
SCHRIJF_METHODEN = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "set_password",
    "executemany",
}
AUDIT_FUNCTIES = {"audit_log", "audit_bulk", "audit_per_organisatie"}

# Writes that are no registration or change at an organisation, or helpers whose every caller audits, each with
# why it needs no audit entry of its own.
GEEN_AUDIT_NODIG = {
    # The log-in history itself (R60) is the record of a log-in attempt.
    "inloggen.services.loginpoging_vastleggen",
    # Sends an SMS code through the outbox (itself a record); nothing about a person or organisation changes.
    "inloggen.services.sms_code_versturen",
    # Makes the SMS device of a middel that predates this app on its first log-in: the middel's second factor
    # (its registered number) does not change.
    "inloggen.services.tweede_factor_apparaat",
    # A display preference of the person (the screens' language), no registration at any organisation.
    "inloggen.services.persoon_wijzig_taal",
    # Loading the embedded Handelsregister (demo/test data), not data of the Beheermodule.
    "handelsregister.services.handelsregister_laden",
    # The "last used" moment of an API client (at most once a minute), shown to support; no change of the client.
    "api.clients.client_voor_token",
    # Helpers whose callers write the audit rows in the same transaction: the bulk step (audit_bulk), and
    # support's rejection and the beheerder's withdrawal of a new organisation (aanvraag.afgekeurd/ingetrokken).
    "machtigingen.services.bulk_invoegen.machtigingen_invoegen",
    "organisaties.services.nieuwe_organisatie_afkeuren",
}


def _modules():
    for app in APPS:
        for naam in (f"{app}.services", f"{app}.goedkeuringen", f"{app}.clients"):
            try:
                module = importlib.import_module(naam)
            except ModuleNotFoundError:
                continue
            yield module
            if hasattr(module, "__path__"):
                # Every depth: a services module that grows into a package of its own (machtigingen.services.
                # ongebruikt) must stay in the walk.
                for info in pkgutil.walk_packages(module.__path__, prefix=f"{naam}."):
                    yield importlib.import_module(info.name)


def _functies():
    """{qualified name: (module, ast.FunctionDef)} of every function defined in the domain-layer modules."""
    gevonden = {}
    for module in _modules():
        bron = Path(inspect.getsourcefile(module)).read_text()
        for node in ast.parse(bron).body:
            if isinstance(node, ast.FunctionDef):
                gevonden[f"{module.__name__}.{node.name}"] = (module, node)
    return gevonden


FUNCTIES = _functies()


def _aangeroepen(module, node) -> tuple[set[str], set[str]]:
    """The attribute/method names called in the function, and the qualified domain functions it calls."""
    methoden, functies = set(), set()
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        doel = sub.func
        if isinstance(doel, ast.Attribute):
            methoden.add(doel.attr)
            # module.function(...) where module is an imported domain module
            if isinstance(doel.value, ast.Name):
                obj = getattr(module, doel.value.id, None)
                if inspect.ismodule(obj):
                    functies.add(f"{obj.__name__}.{doel.attr}")
        elif isinstance(doel, ast.Name):
            methoden.add(doel.id)
            obj = getattr(module, doel.id, None)
            if inspect.isfunction(obj):
                functies.add(f"{obj.__module__}.{obj.__name__}")
    return methoden, functies


GRAAF = {naam: _aangeroepen(module, node) for naam, (module, node) in FUNCTIES.items()}


def _bereikbaar(naam: str) -> set[str]:
    gezien, todo = set(), [naam]
    while todo:
        huidig = todo.pop()
        if huidig in gezien or huidig not in GRAAF:
            continue
        gezien.add(huidig)
        todo.extend(GRAAF[huidig][1])
    return gezien


def _schrijft(naam: str) -> bool:
    return any(GRAAF[n][0] & SCHRIJF_METHODEN for n in _bereikbaar(naam))


def _auditeert(naam: str) -> bool:
    return any(GRAAF[n][0] & AUDIT_FUNCTIES or "AuditEntry" in ast.dump(FUNCTIES[n][1]) for n in _bereikbaar(naam))


PUBLIEK = sorted(n for n in FUNCTIES if not n.rsplit(".", 1)[1].startswith("_"))


def test_the_walk_finds_the_domain_layer():
    # A sanity check that the discovery reads the services at all (a broken walk would pass everything).
    assert len(PUBLIEK) > 80
    assert "machtigingen.services.beeindigen.machtigingen_beeindigen" in PUBLIEK
    assert _schrijft("gebruikers.services.rollen.koppeling_wijzig_rol")
    assert _auditeert("gebruikers.services.rollen.koppeling_wijzig_rol")


@pytest.mark.parametrize("naam", PUBLIEK)
def test_r74_every_domain_function_that_changes_data_writes_an_audit_record(naam):
    if naam in GEEN_AUDIT_NODIG or not _schrijft(naam):
        return
    assert _auditeert(naam), f"{naam} changes data without an audit record (R74)"


def test_the_exceptions_name_existing_functions():
    assert set(FUNCTIES) >= GEEN_AUDIT_NODIG

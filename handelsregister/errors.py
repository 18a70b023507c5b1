"""The refusals of the Handelsregister look-ups and the identifier checks.

All are `DomainError`s, so a view that already shows domain refusals shows these too; the subclasses let a
caller tell "you typed it wrong" from "it does not exist" from "try again later".
"""

from common.errors import DomainError


class OngeldigeWaarde(DomainError):
    """An identifier (KvK-nummer, RSIN, postcode, IBAN, ...) that fails its format or check."""


class HandelsregisterFout(DomainError):
    """Anything the Handelsregister itself answers with, or fails to answer."""


class OrganisatieNietGevonden(HandelsregisterFout):
    pass


class HandelsregisterNietBereikbaar(HandelsregisterFout):
    pass


class HandelsregisterConfiguratieFout(HandelsregisterFout):
    """The KvK API refused our key (401/403): nothing the person can fix, so they get a plain message."""

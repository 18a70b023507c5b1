"""Fixtures for the Instellingen screens: the same as the domain tests of organisaties use."""

from tests.gebruikers.helpers import support, tarieven  # noqa: F401
from tests.organisaties.conftest import DAGOBERT, DONALD, KATRIEN, register  # noqa: F401

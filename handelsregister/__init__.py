"""Look-ups in the KvK Handelsregister: `get_handelsregister()` gives the register the settings choose."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Handelsregister


def get_handelsregister() -> "Handelsregister":
    # Imported here: the package is imported while the app registry is still loading, the models are not.
    from .services import handelsregister

    return handelsregister()

"""The register the settings choose (HANDELSREGISTER_BACKEND): the KvK API client or the embedded tables.

The one module that knows both registers; they only know the shared interface in `base`."""

from django.conf import settings

from handelsregister.base import Handelsregister
from handelsregister.clients import KvkHandelsregister
from handelsregister.embedded import EmbeddedHandelsregister


def get_handelsregister() -> Handelsregister:
    """The register chosen by HANDELSREGISTER_BACKEND. Built per call, so a settings change takes effect."""
    if settings.HANDELSREGISTER_BACKEND == "kvk":
        return KvkHandelsregister(
            base_url=settings.KVK_API_BASE_URL, api_key=settings.KVK_API_KEY, timeout=settings.KVK_API_TIMEOUT
        )
    return EmbeddedHandelsregister()

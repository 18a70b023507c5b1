from tests.gebruikers.helpers import nieuwe_aanvraag, support, tarieven  # noqa: F401

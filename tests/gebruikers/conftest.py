from tests.gebruikers.helpers import nieuwe_aanvraag, register, support, tarieven  # noqa: F401

from tests.gebruikers.helpers import tarieven  # noqa: F401

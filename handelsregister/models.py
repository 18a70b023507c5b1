"""Models of the embedded Handelsregister (filled in by the Handelsregister work)."""

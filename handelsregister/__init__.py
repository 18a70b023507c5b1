"""Look-ups in the KvK Handelsregister: `handelsregister.backend.get_handelsregister()` gives the register the
settings choose; `handelsregister.services` loads the embedded register from its JSON file.

Kept free of imports: Django imports this package while the app registry is still loading."""

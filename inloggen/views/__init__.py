"""Screens of log-in (§1, §1.1, §2.2), Inloggegevens vergeten (§1.2), activation (§3.5) and Mijn profiel (§2.3),
one module per group of screens. `beheer.views` shows the log-in and log-out views under its own names."""

from inloggen.views.inloggen import InloggenView, UitloggenView

__all__ = ["InloggenView", "UitloggenView"]

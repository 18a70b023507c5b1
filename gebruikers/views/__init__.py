"""Views of the rubriek Gebruikers, one module per group of screens; each module exports `urlpatterns`."""

"""Screens of the rubriek Gebruikers (being built)."""

urlpatterns = []

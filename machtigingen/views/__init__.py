"""Rubriek Machtigingen (manual chapter 4): the overview with details in place, and + Voeg toe."""

"""Rubriek Ketenmachtigingen: the verlener's screens (`afgegeven*`) and the intermediair's (`relaties*`, `uitnodiging*`)."""

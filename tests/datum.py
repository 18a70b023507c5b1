"""A date as the screens take it (common.forms.DatumField): three fields, `<naam>_dag`, `_maand` and `_jaar`."""

import datetime as dt


def datum_velden(naam: str, datum: dt.date) -> dict[str, str]:
    return {f"{naam}_dag": str(datum.day), f"{naam}_maand": str(datum.month), f"{naam}_jaar": str(datum.year)}

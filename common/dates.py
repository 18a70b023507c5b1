"""Date helpers in the Amsterdam calendar; end dates are exclusive (valid up to, not on, the end date)."""

import datetime as dt

from django.utils import timezone

MAX_JAREN = 5


def vandaag() -> dt.date:
    return timezone.localdate()


def plus_jaren(datum: dt.date, jaren: int) -> dt.date:
    """The same day `jaren` years later; 29 February becomes 28 February in a common year."""
    try:
        return datum.replace(year=datum.year + jaren)
    except ValueError:
        return datum.replace(year=datum.year + jaren, day=28)


def plus_maanden(datum: dt.date, maanden: int) -> dt.date:
    maand = datum.month - 1 + maanden
    jaar = datum.year + maand // 12
    maand = maand % 12 + 1
    for dag in (datum.day, 30, 29, 28):
        try:
            return datum.replace(year=jaar, month=maand, day=dag)
        except ValueError:
            continue
    raise AssertionError("unreachable")

"""How often an address or a target may ask: log-in failures, and e-mails with a username or a reset link.

Counted for every address and every e-mail address alike, known or not, and answered with the same message, so
a limit never tells whether an account exists.
"""

from common.ratelimit import Limiet

# Failed log-ins from one address over any user names (axes locks one user name after AXES_FAILURE_LIMIT).
MISLUKT_PER_ADRES = Limiet("inloggen-mislukt-adres", "INLOGGEN_MISLUKT_PER_ADRES", 15 * 60)
# "Inloggegevens vergeten": e-mails asked from one address, and e-mails asked for one e-mail address.
HERSTEL_PER_ADRES = Limiet("herstel-adres", "HERSTEL_PER_ADRES", 60 * 60)
HERSTEL_PER_EMAIL = Limiet("herstel-email", "HERSTEL_PER_EMAIL", 60 * 60)

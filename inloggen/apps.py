from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InloggenConfig(AppConfig):
    name = "inloggen"
    verbose_name = _("Inloggen en profiel")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from inloggen import signals

        user_logged_in.connect(signals.bij_ingelogd, dispatch_uid="inloggen.bij_ingelogd")
        user_login_failed.connect(signals.bij_mislukt, dispatch_uid="inloggen.bij_mislukt")

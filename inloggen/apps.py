from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InloggenConfig(AppConfig):
    name = "inloggen"
    verbose_name = _("Inloggen en profiel")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from inloggen import signals, sudo

        user_logged_in.connect(signals.bij_ingelogd, dispatch_uid="inloggen.bij_ingelogd")
        user_login_failed.connect(signals.bij_mislukt, dispatch_uid="inloggen.bij_mislukt")
        # Every completed log-in (the Beheermodule's after its second factor, the admin's with its code) is a fresh
        # check for sudo mode.
        user_logged_in.connect(sudo.bij_ingelogd, dispatch_uid="inloggen.sudo_bij_ingelogd")

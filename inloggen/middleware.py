"""Every screen in the signed-in person's own language (R60).

Place after `django.contrib.auth.middleware.AuthenticationMiddleware` (and after LocaleMiddleware, whose choice
it overrides for signed-in persons). The log-in and the language switch also set Django's language cookie,
so LocaleMiddleware alone already picks the language; this middleware makes the stored choice win when the
cookie is missing (another browser) or stale.
"""

from django.conf import settings
from django.utils import translation

TALEN = {code for code, _naam in settings.LANGUAGES}


class TaalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "taal", None) in TALEN:
            translation.activate(user.taal)
            request.LANGUAGE_CODE = user.taal
        return self.get_response(request)

"""Resolve the organisation a beheerder works for, once per request (R4, R7).

The chosen organisation id lives in the session; it is honoured only while the person is still an
active beheerder there, checked against the database on every request, so a role change takes
effect at the next request (R7).
"""

from django.utils.functional import SimpleLazyObject

SESSION_KEY = "beheer_organisatie_id"


class OrganisatieMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.beheer = SimpleLazyObject(lambda: _resolve(request))
        return self.get_response(request)


def _resolve(request):
    from beheer.selectors import BeheerContext, beheer_context_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return BeheerContext.empty()
    return beheer_context_for(user, request.session.get(SESSION_KEY))

from functools import partial

from beheer.forms import OrganisatieWisselForm
from beheer.menu import menu_items


def beheer(request):
    context = getattr(request, "beheer", None)
    if context is None or not context.is_beheerder:
        return {"beheer": context, "beheer_menu": []}
    return {
        "beheer": context,
        # Callables, so the template builds the menu and the form only where the layout is rendered (not in
        # the fragments HTMX asks for).
        "beheer_menu": partial(menu_items, request.path),
        "organisatie_form": partial(
            OrganisatieWisselForm, organisaties=context.organisaties, gekozen=context.organisatie
        ),
    }

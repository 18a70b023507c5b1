from beheer.menu import menu_items


def beheer(request):
    context = getattr(request, "beheer", None)
    if context is None or not context.is_beheerder:
        return {"beheer": context, "beheer_menu": []}
    return {"beheer": context, "beheer_menu": menu_items(request.path)}

"""Shared pieces of the apps' ModelAdmins: read-only admins and the staff action buttons."""

from django.contrib import admin


class AlleenLezenAdmin(admin.ModelAdmin):
    """Lists and details to look at: records change only through the domain services (and their audit)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        acties = super().get_actions(request)
        acties.pop("delete_selected", None)
        return acties


class AlleenLezenInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def actie(label, url, *, primair=False, gevaar=False, methode="post", velden=()):
    """One button on a change view: a POST form of its own (or a GET link), rendered by admin/support/acties.html.

    `velden` are extra text inputs as (name, label, help) triples.
    """
    return {"label": label, "url": url, "primair": primair, "gevaar": gevaar, "methode": methode, "velden": velden}

"""Wiring shared by the staff-only views: URL patterns for `ModelAdmin.get_urls()`, the permission check,
the object lookup and the admin page context."""

from functools import partial, update_wrapper

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse


def admin_urls(model_admin, routes):
    """URL patterns for `ModelAdmin.get_urls()`: each view gets the model admin and sits behind admin_view.

    `routes` holds (route, view, suffix); the URL name is `<app>_<model>_<suffix>` in the admin namespace.
    """
    opts = model_admin.model._meta
    patterns = []
    for route, view, suffix in routes:
        bound = partial(view, model_admin=model_admin)
        update_wrapper(bound, view)
        patterns.append(
            path(route, model_admin.admin_site.admin_view(bound), name=f"{opts.app_label}_{opts.model_name}_{suffix}")
        )
    return patterns


def vereis(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def get_object(model_admin, request, object_id):
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        raise Http404
    return obj


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def admin_context(model_admin, request, obj=None, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": obj,
        "has_view_permission": model_admin.has_view_permission(request, obj),
        **extra,
    }


def download_headers(response):
    """A private download: never sniffed into another type, never cached."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

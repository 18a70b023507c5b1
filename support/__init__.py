"""The supplier's back office: staff-only views, forms and services behind the Django admin.

A plain package, not an app: the admin classes live in each app's `admin.py` and register these views
through `ModelAdmin.get_urls()`, so every view here sits behind `admin_site.admin_view` (staff only) and
checks its own model permission on top. Templates are in `templates/admin/support/`.
"""

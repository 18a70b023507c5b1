"""Pop-ups for every action on one person (§3.1.1, §3.2.2, §3.4, §3.5.3, §3.7, §3.8), one module per concern:
rol, koppelen, opzeggen, contact (telefoon, e-mail, nieuwe uitnodiging) and middel (niveau, type).
What they share is in `gebruikers.views.popup`; which actions apply is `gebruikers.rules`."""

from django.urls import path

from gebruikers.views.mutaties import contact, koppelen, middel, opzeggen, rol

urlpatterns = [
    path("<int:persoon_id>/rol/", rol.rol_wijzigen, name="rol_wijzigen"),
    path("<int:persoon_id>/koppelen/", koppelen.koppelen, name="koppelen"),
    path("<int:persoon_id>/opzeggen/", opzeggen.opzeggen, name="opzeggen"),
    path("<int:persoon_id>/nieuwe-uitnodiging/", contact.nieuwe_uitnodiging, name="nieuwe_uitnodiging"),
    path("<int:persoon_id>/telefoon/", contact.telefoon_wijzigen, name="telefoon_wijzigen"),
    path("<int:persoon_id>/email/", contact.email_wijzigen, name="email_wijzigen"),
    path("<int:persoon_id>/niveau/", middel.niveau_wijzigen, name="niveau_wijzigen"),
    path("<int:persoon_id>/type/", middel.type_wijzigen, name="type_wijzigen"),
]

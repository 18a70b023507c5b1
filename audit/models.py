"""The audit trail (R74): who, when, for which organisation, what, before and after. Append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie


class AuditTrailIsReadOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsReadOnly("the audit trail cannot be changed")

    def delete(self):
        raise AuditTrailIsReadOnly("the audit trail cannot be deleted")


class AuditEntry(models.Model):
    moment = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too, so the entry stays readable whatever happens to the account; "systeem" for jobs.
    actor_label = models.CharField(_("door (naam)"), max_length=200)
    # No index of its own: the Logboek's index (organisatie, -moment) starts with it (every write would keep two).
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    actie = models.CharField(_("actie"), max_length=60, db_index=True, choices=Actie.choices)
    omschrijving = models.CharField(_("omschrijving"), max_length=500)
    object_type = models.CharField(_("soort object"), max_length=60)
    object_id = models.CharField(_("object-ID"), max_length=64, blank=True)
    voor = models.JSONField(_("voor"), null=True, blank=True)
    na = models.JSONField(_("na"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit-regel")
        verbose_name_plural = _("audittrail")
        ordering = ["-moment", "-id"]
        indexes = [models.Index(fields=["organisatie", "-moment"])]

    def __str__(self) -> str:
        return f"{self.moment:%d-%m-%Y %H:%M} {self.actor_label}: {self.omschrijving}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditTrailIsReadOnly("the audit trail cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsReadOnly("the audit trail cannot be deleted")

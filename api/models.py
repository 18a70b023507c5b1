"""API clients of the Machtigingenregister (brokers asking for decisions) and the log of every decision."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A broker (or other party) allowed to ask the register. Only the token's hash is stored."""

    naam = models.CharField(_("naam"), max_length=200)
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
    )
    token_hash = models.CharField(_("token (hash)"), max_length=64, unique=True, editable=False)
    # The first characters, to recognise a token without storing it.
    token_begin = models.CharField(_("token begint met"), max_length=12, editable=False)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True, editable=False)
    laatst_gebruikt_op = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-client")
        verbose_name_plural = _("API-clients")
        ordering = ["naam", "pk"]

    def __str__(self) -> str:
        return self.naam

    @property
    def is_ingetrokken(self) -> bool:
        return self.ingetrokken_op is not None


class Beslissing(models.Model):
    """One decision the register gave through the API (trust framework logging). Written in bulk, never edited."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("API-client"), on_delete=models.PROTECT, related_name="beslissingen"
    )
    moment = models.DateTimeField(_("moment"), db_index=True)
    gevraagd_moment = models.DateTimeField(_("gevraagd voor moment"))
    request_id = models.CharField(_("request-id"), max_length=200, blank=True)
    subject_id = models.CharField(_("subject (middel)"), max_length=200, blank=True)
    resource_id = models.CharField(_("resource (dienst)"), max_length=200, blank=True)
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=20, blank=True)
    vestigingsnummer = models.CharField(_("vestigingsnummer"), max_length=20, blank=True)
    actie = models.CharField(_("actie"), max_length=100, blank=True)
    toegestaan = models.BooleanField(_("toegestaan"))
    pad = models.JSONField(_("pad"), null=True, blank=True)
    redenen = models.JSONField(_("redenen"), default=list, blank=True)

    class Meta:
        verbose_name = _("beslissing")
        verbose_name_plural = _("beslissingen")
        ordering = ["-moment", "-pk"]
        # Support's search (api.logboek.zoekfilter) compares each of these exactly: one plain index each, so a
        # search of a log of millions reads only its hits. Not db_index: on PostgreSQL that adds a second, LIKE
        # index per column that no query uses, and every decision written keeps every index.
        indexes = [
            models.Index(fields=["subject_id"], name="beslissing_subject"),
            models.Index(fields=["resource_id"], name="beslissing_resource"),
            models.Index(fields=["kvk_nummer"], name="beslissing_kvk"),
            models.Index(fields=["request_id"], name="beslissing_request"),
        ]

    def __str__(self) -> str:
        return f"{self.moment:%Y-%m-%d %H:%M:%S} {self.subject_id} {'ja' if self.toegestaan else 'nee'}"

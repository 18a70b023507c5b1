"""Ketenmachtigingen: organisation A (verlener) authorises intermediair B for a scope (R40–R45, R72)."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import MAX_JAREN
from common.niveau import Niveau
from machtigingen.models import PlusJaren, Scope, ScopeFields


class PlusJarenExact(PlusJaren):
    """`PlusJaren` with SQLite made exact on 29 February, as `common.dates.plus_jaren` and PostgreSQL are.

    SQLite's `date(x, '+5 years')` rolls 29 February over to 1 March; when it does, counting from 28 February
    gives the 28 February of the target year instead. (PostgreSQL's interval arithmetic already does that.)
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        n = self.jaren
        return (
            f"(CASE WHEN strftime('%%m-%%d', {sql}) = '02-29' AND strftime('%%d', date({sql}, '+{n} years')) = '01'"
            f" THEN date({sql}, '-1 day', '+{n} years') ELSE date({sql}, '+{n} years') END)",
            (*params, *params, *params, *params),
        )


def termijn_begin(begint_op, termijn_begint_op):
    """The start of the current term (R73, R46): an extension's day, or a re-issue's new `begint_op`."""
    return max(begint_op, termijn_begint_op or begint_op)


class Ketenmachtiging(ScopeFields):
    class AangevraagdDoor(models.TextChoices):
        VERLENER = "verlener", _("De organisatie zelf (afgegeven)")
        INTERMEDIAIR = "intermediair", _("De intermediair (uitnodiging)")

    verlener = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("verlener"),
        on_delete=models.PROTECT,
        related_name="afgegeven_ketenmachtigingen",
    )
    intermediair = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("intermediair"),
        on_delete=models.PROTECT,
        related_name="ontvangen_ketenmachtigingen",
    )
    aangevraagd_door = models.CharField(
        _("aangevraagd door"),
        max_length=12,
        choices=AangevraagdDoor.choices,
        default=AangevraagdDoor.VERLENER,
    )
    afgegeven_door = models.ForeignKey(
        "gebruikers.Persoon",
        verbose_name=_("afgegeven door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    intermediair_email = models.EmailField(_("e-mailadres intermediair"), blank=True)
    # R46: an extension starts a new term on its day; `begint_op` stays the original start. R73 counts from the
    # later of the two (re-issuing through afgeven moves `begint_op` itself).
    termijn_begint_op = models.DateField(_("begin huidige termijn"), null=True, blank=True)
    # R76 Laatst gebruikt: the last day a yes from the register came through this ketenmachtiging (the API).
    laatst_gebruikt_op = models.DateField(_("laatst gebruikt"), null=True, blank=True, editable=False)
    middelen = models.ManyToManyField(
        "gebruikers.Middel",
        through="KetenmachtigingMiddel",
        verbose_name=_("gekoppelde middelen van de intermediair"),
        related_name="ketenmachtigingen",
    )

    class Meta:
        verbose_name = _("ketenmachtiging")
        verbose_name_plural = _("ketenmachtigingen")
        constraints = [
            ScopeFields.scope_constraint("ketenmachtiging_scope_geldig"),
            models.CheckConstraint(
                condition=Q(eindigt_op__gt=models.F("begint_op")), name="ketenmachtiging_eind_na_begin"
            ),
            models.CheckConstraint(
                condition=~Q(verlener=models.F("intermediair")), name="ketenmachtiging_niet_aan_zichzelf"
            ),
            # R73: a term lasts at most 5 years.
            models.CheckConstraint(
                condition=Q(
                    eindigt_op__lte=PlusJarenExact(
                        Greatest(models.F("begint_op"), Coalesce(models.F("termijn_begint_op"), models.F("begint_op"))),
                        MAX_JAREN,
                    )
                ),
                name="ketenmachtiging_hoogstens_5_jaar",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "eindigt_op"], name="keten_status_eind"),
            models.Index(fields=["intermediair", "verlener", "status"], name="keten_inter_verlener"),
        ]

    def __str__(self) -> str:
        return f"{self.verlener} → {self.intermediair}: {self.scope_omschrijving}"


class KetenmachtigingMiddel(models.Model):
    """The intermediair's beheerder links a received ketenmachtiging to one of its own middelen (R44)."""

    ketenmachtiging = models.ForeignKey(Ketenmachtiging, on_delete=models.CASCADE, related_name="koppelingen")
    middel = models.ForeignKey("gebruikers.Middel", on_delete=models.PROTECT, related_name="+")
    gekoppeld_door = models.ForeignKey(
        "gebruikers.Persoon", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gekoppeld_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("koppeling ketenmachtiging")
        verbose_name_plural = _("koppelingen ketenmachtigingen")
        constraints = [
            models.UniqueConstraint(fields=["ketenmachtiging", "middel"], name="keten_middel_uniek"),
        ]


class KetenModule(models.Model):
    """An intermediair's module for receiving ketenmachtigingen van relaties (R43)."""

    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
        OFFERTE_VERSTUURD = "offerte_verstuurd", _("Offerte verstuurd")
        GEACCEPTEERD = "geaccepteerd", _("Offerte geaccepteerd")
        INGESCHAKELD = "ingeschakeld", _("Ingeschakeld")

    organisatie = models.OneToOneField(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="ketenmodule",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AANGEVRAAGD)
    spoed = models.BooleanField(_("spoedprocedure"), default=False)
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    offerte_verstuurd_op = models.DateTimeField(_("offerte verstuurd op"), null=True, blank=True)
    geaccepteerd_op = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    ingeschakeld_op = models.DateTimeField(_("ingeschakeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("module ketenmachtigingen")
        verbose_name_plural = _("modules ketenmachtigingen")

    def __str__(self) -> str:
        return f"{self.organisatie}: {self.get_status_display()}"


class Uitnodiging(models.Model):
    """An intermediair invites a relation to give it a ketenmachtiging, without eHerkenning (R43, R47).

    Only a hash of the token is stored: the link in the e-mail is the one place the token exists. What is
    asked is in `gevraagd` (one row per scope); the scope fields here repeat the first of them, so the
    admin's list and filter keep working.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
        GEWEIGERD = "geweigerd", _("Geweigerd")
        VERLOPEN = "verlopen", _("Verlopen")
        INGETROKKEN = "ingetrokken", _("Ingetrokken")
        VERGRENDELD = "vergrendeld", _("Vergrendeld")

    intermediair = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("intermediair"),
        on_delete=models.PROTECT,
        related_name="ketenuitnodigingen",
    )
    uitgenodigd_door = models.ForeignKey(
        "gebruikers.Persoon",
        verbose_name=_("uitgenodigd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kvk_nummer = models.CharField(_("KvK-nummer relatie"), max_length=8)
    naam = models.CharField(_("naam relatie"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres relatie"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The scope asked for, with the same meaning as on a ketenmachtiging.
    scope = models.CharField(_("reikwijdte"), max_length=20, choices=Scope.choices)
    dienst = models.ForeignKey(
        "catalogus.Dienst", verbose_name=_("dienst"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    niveau = models.PositiveSmallIntegerField(_("tot en met niveau"), choices=Niveau.choices, null=True, blank=True)
    dienstverlener = models.ForeignKey(
        "catalogus.Dienstverlener",
        verbose_name=_("dienstverlener"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    looptijd_jaren = models.PositiveSmallIntegerField(_("looptijd (jaren)"), default=5)
    spoed = models.BooleanField(_("spoedprocedure"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    verloopt_op = models.DateTimeField(_("geldig tot"))
    geopend_op = models.DateTimeField(_("geopend op"), null=True, blank=True)
    geaccepteerd_op = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    # R47: who answered (a wettelijk vertegenwoordiger known in the Handelsregister), the e-mailed code
    # (hashed), and the wrong answers counted towards locking.
    vertegenwoordiger = models.CharField(_("beantwoord door"), max_length=200, blank=True)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_verloopt_op = models.DateTimeField(null=True, blank=True, editable=False)
    code_bevestigd_op = models.DateTimeField(null=True, blank=True, editable=False)
    mislukte_pogingen = models.PositiveSmallIntegerField(_("mislukte pogingen"), default=0)
    ketenmachtiging = models.OneToOneField(
        Ketenmachtiging,
        verbose_name=_("ketenmachtiging"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uitnodiging",
    )

    class Meta:
        verbose_name = _("uitnodiging ketenmachtiging")
        verbose_name_plural = _("uitnodigingen ketenmachtiging")
        ordering = ["-aangemaakt_op"]
        constraints = [
            ScopeFields.scope_constraint("uitnodiging_scope_geldig"),
            models.CheckConstraint(
                condition=Q(looptijd_jaren__gte=1, looptijd_jaren__lte=5), name="uitnodiging_looptijd_max_5_jaar"
            ),
        ]
        indexes = [models.Index(fields=["status", "verloopt_op"], name="uitnodiging_status_verloop")]

    def __str__(self) -> str:
        return f"{self.intermediair} → KvK {self.kvk_nummer} ({self.get_status_display()})"

    @property
    def toestand(self) -> str:
        """The state the intermediair sees (R47): verstuurd, geopend, afgegeven, geweigerd, verlopen, ...

        The expiry time decides, not only the status: the expiry job may lag behind."""
        if self.status == self.Status.OPEN:
            if self.verloopt_op <= timezone.now():
                return "verlopen"
            return "geopend" if self.geopend_op else "verstuurd"
        return {self.Status.GEACCEPTEERD: "afgegeven"}.get(self.status, self.status)

    @property
    def toestand_label(self) -> str:
        return TOESTAND_LABELS[self.toestand]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.verloopt_op > timezone.now()


TOESTAND_LABELS = {
    "verstuurd": _("Verstuurd"),
    "geopend": _("Geopend"),
    "afgegeven": _("Afgegeven"),
    "geweigerd": _("Geweigerd"),
    "verlopen": _("Verlopen"),
    "ingetrokken": _("Ingetrokken"),
    "vergrendeld": _("Vergrendeld"),
}


class GevraagdeScope(models.Model):
    """One scope an invitation asks for (R43); the relation may drop it before consenting (R47)."""

    uitnodiging = models.ForeignKey(Uitnodiging, on_delete=models.CASCADE, related_name="gevraagd")
    scope = models.CharField(_("reikwijdte"), max_length=20, choices=Scope.choices)
    dienst = models.ForeignKey(
        "catalogus.Dienst", verbose_name=_("dienst"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    niveau = models.PositiveSmallIntegerField(_("tot en met niveau"), choices=Niveau.choices, null=True, blank=True)
    dienstverlener = models.ForeignKey(
        "catalogus.Dienstverlener",
        verbose_name=_("dienstverlener"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set on consent for the scopes the relation kept.
    ketenmachtiging = models.OneToOneField(
        Ketenmachtiging, null=True, blank=True, on_delete=models.PROTECT, related_name="gevraagd_in"
    )

    class Meta:
        verbose_name = _("gevraagde reikwijdte")
        verbose_name_plural = _("gevraagde reikwijdtes")
        ordering = ["pk"]
        constraints = [ScopeFields.scope_constraint("gevraagde_scope_geldig")]

    scope_omschrijving = ScopeFields.scope_omschrijving

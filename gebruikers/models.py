"""Persons, their eHerkenningsmiddelen, the link of a middel to an organisation, and aanvragen/mutaties."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.niveau import Niveau
from organisaties.models import Organisatie


class PersoonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **extra):
        persoon = self.model(username=username, **extra)
        persoon.set_password(password)
        persoon.save(using=self._db)
        return persoon

    def create_superuser(self, username, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class Persoon(AbstractBaseUser, PermissionsMixin):
    """A natural person and the login account of their middel (the middel is 'a secured account')."""

    class Taal(models.TextChoices):
        NL = "nl", _("Nederlands")
        EN = "en", _("English")

    class Geslacht(models.TextChoices):
        MAN = "M", _("Man")
        VROUW = "V", _("Vrouw")
        X = "X", _("X")

    # Chosen at activation; null before, so unactivated persons do not collide on username.
    username = models.CharField(_("gebruikersnaam"), max_length=150, unique=True, null=True, blank=True)
    voornamen = models.CharField(_("voornamen"), max_length=200)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    achternaam = models.CharField(_("achternaam"), max_length=200)
    geboortedatum = models.DateField(_("geboortedatum"), null=True, blank=True)
    geslacht = models.CharField(_("geslacht"), max_length=1, choices=Geslacht.choices, blank=True)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    email = models.EmailField(_("e-mailadres"))
    mobiel = models.CharField(_("mobiel nummer"), max_length=20, blank=True)
    taal = models.CharField(_("taal"), max_length=2, choices=Taal.choices, default=Taal.NL)
    is_staff = models.BooleanField(_("medewerker support"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = PersoonManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "voornamen", "achternaam"]

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["achternaam", "voornamen"]

    def __str__(self) -> str:
        return self.naam

    @property
    def voorletters(self) -> str:
        return "".join(f"{deel[0].upper()}." for deel in self.voornamen.split() if deel)

    @property
    def naam(self) -> str:
        """The manual's short form: 'J. Bakker', 'P. de Jong'."""
        return " ".join(p for p in (self.voorletters, self.tussenvoegsel, self.achternaam) if p)

    @property
    def volledige_naam(self) -> str:
        return " ".join(p for p in (self.voornamen, self.tussenvoegsel, self.achternaam) if p)

    def get_full_name(self) -> str:
        return self.volledige_naam

    def get_short_name(self) -> str:
        return self.naam

    @classmethod
    def from_db(cls, db, field_names, values):
        persoon = super().from_db(db, field_names, values)
        # Remembered so save() knows whether the name changed (Koppeling keeps a copy as its sort key).
        persoon._naam_uit_db = (persoon.__dict__.get("achternaam"), persoon.__dict__.get("voornamen"))
        return persoon

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        geladen = getattr(self, "_naam_uit_db", None)
        if geladen is not None and geladen != (self.achternaam, self.voornamen):
            Koppeling.objects.filter(middel__persoon=self).update(
                persoon_achternaam=self.achternaam, persoon_voornamen=self.voornamen
            )
        self._naam_uit_db = (self.achternaam, self.voornamen)


class Middel(models.Model):
    class Type(models.TextChoices):
        REGULIER = "regulier", _("Regulier")
        BELASTINGDIENST = "belastingdienst", _("Belastingdienst")

    class Status(models.TextChoices):
        WACHTEN_OP_GOEDKEURING = "wachten_op_goedkeuring", _("Wachten op goedkeuring")
        WACHTEN_OP_ACTIVATIE = "wachten_op_activatie", _("Wachten op activatie")
        ACTIVATIE_VERLOPEN = "activatie_verlopen", _("Activatie verlopen")
        ACTIEF = "actief", _("Actief")
        AFGEKEURD = "afgekeurd", _("Aanvraag afgekeurd")
        BEEINDIGD = "beeindigd", _("Beëindigd")

    class TweedeFactor(models.TextChoices):
        GEEN = "", _("Geen")
        SMS = "sms", _("SMS")
        OTP = "otp", _("OTP device")

    persoon = models.OneToOneField(Persoon, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="middel")
    # The middel's identity outside the Beheermodule (the register API's subject id): stable and not guessable,
    # unlike the primary key.
    publieke_id = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)
    niveau = models.PositiveSmallIntegerField(_("niveau"), choices=Niveau.choices)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.REGULIER)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=Status.choices,
        default=Status.WACHTEN_OP_GOEDKEURING,
        db_index=True,
    )
    tweede_factor = models.CharField(
        _("tweede factor"), max_length=3, choices=TweedeFactor.choices, blank=True, default=TweedeFactor.GEEN
    )
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    goedgekeurd_op = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    activeren_tot = models.DateField(_("activeren mogelijk tot"), null=True, blank=True)
    geactiveerd_op = models.DateTimeField(_("geactiveerd op"), null=True, blank=True)
    activatie_verlopen_op = models.DateField(_("activatie verlopen op"), null=True, blank=True)
    beeindigd_op = models.DateField(_("beëindigd op"), null=True, blank=True)

    # Identificatieadres for EH3 (R15)
    id_land = models.CharField(_("land"), max_length=100, blank=True)
    id_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    id_huisnummer = models.CharField(_("huisnummer"), max_length=10, blank=True)
    id_toevoeging = models.CharField(_("toevoeging"), max_length=10, blank=True)
    id_straat = models.CharField(_("straat"), max_length=200, blank=True)
    id_plaats = models.CharField(_("plaats"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("eHerkenningsmiddel")
        verbose_name_plural = _("eHerkenningsmiddelen")

    def __str__(self) -> str:
        return f"{self.persoon} ({self.get_niveau_display()}, {self.get_status_display()})"

    @property
    def is_actief(self) -> bool:
        return self.status == self.Status.ACTIEF

    @property
    def is_belastingdienst(self) -> bool:
        return self.type == self.Type.BELASTINGDIENST


class KoppelingQuerySet(models.QuerySet):
    def lopend(self):
        """Koppelingen not ended: aangevraagd or actief (the one place that says what 'still running' is)."""
        return self.exclude(status=Koppeling.Status.BEEINDIGD)

    def beheer(self):
        """R1, R8: beheer-koppelingen that open the Beheermodule: rol beheerder, koppeling and middel Actief,
        a regular middel at EH2+ or higher, the organisation not terminated. The one definition used by the
        middleware, the services and the admin."""
        return self.filter(
            rol=Koppeling.Rol.BEHEERDER,
            status=Koppeling.Status.ACTIEF,
            middel__status=Middel.Status.ACTIEF,
            middel__type=Middel.Type.REGULIER,
            middel__niveau__gte=Niveau.EH2_PLUS,
        ).exclude(organisatie__status=Organisatie.Status.OPGEZEGD)


class Koppeling(models.Model):
    """A middel linked to an organisation, with its role there and its own subscription."""

    class Rol(models.TextChoices):
        GEBRUIKER = "gebruiker", _("Gebruiker")
        BEHEERDER = "beheerder", _("Beheerder")

    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("Wachten op goedkeuring")
        ACTIEF = "actief", _("Actief")
        BEEINDIGD = "beeindigd", _("Beëindigd")

    class Opzegmoment(models.TextChoices):
        PER_DIRECT = "per_direct", _("Per direct")
        DATUM = "datum", _("Op een specifieke datum in de toekomst")
        EINDE_CONTRACT = "einde_contract", _("Aan het einde van de lopende contractperiode")

    middel = models.ForeignKey(Middel, verbose_name=_("middel"), on_delete=models.PROTECT, related_name="koppelingen")
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="koppelingen",
    )
    rol = models.CharField(_("rol"), max_length=10, choices=Rol.choices, default=Rol.GEBRUIKER)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AANGEVRAAGD)
    abonnement_jaren = models.PositiveSmallIntegerField(
        _("abonnement (jaren)"), choices=[(1, "1"), (3, "3")], default=1
    )
    abonnement_start = models.DateField(_("startdatum abonnement"), null=True, blank=True)
    abonnement_eind = models.DateField(_("einddatum abonnement"), null=True, blank=True)
    automatische_verlenging = models.BooleanField(_("automatische verlenging"), default=True)
    # A planned termination (R19): the job ends the koppeling on this date.
    opzeggen_per = models.DateField(_("opgezegd per"), null=True, blank=True)
    opzegmoment = models.CharField(_("opzegmoment"), max_length=20, choices=Opzegmoment.choices, blank=True)
    beeindigd_op = models.DateField(_("beëindigd op"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # A copy of the person's name, the overview's order (achternaam, voornamen): with the index below the
    # database reads the first page of a large organisation in order instead of sorting all its people.
    # Set when the koppeling is made, kept by Persoon.save when the name changes.
    persoon_achternaam = models.CharField(max_length=200, blank=True, editable=False)
    persoon_voornamen = models.CharField(max_length=200, blank=True, editable=False)

    objects = KoppelingQuerySet.as_manager()

    class Meta:
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["middel", "organisatie"],
                condition=~Q(status="beeindigd"),
                name="een_lopende_koppeling_per_middel_en_organisatie",
            ),
        ]
        indexes = [
            models.Index(fields=["organisatie", "status"]),
            models.Index(
                fields=["organisatie", "persoon_achternaam", "persoon_voornamen", "id"],
                name="koppeling_overzicht_volgorde",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.middel.persoon} @ {self.organisatie} ({self.get_rol_display()})"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.persoon_achternaam:
            persoon = self.middel.persoon
            self.persoon_achternaam, self.persoon_voornamen = persoon.achternaam, persoon.voornamen
        super().save(*args, **kwargs)

    @property
    def is_beheerder(self) -> bool:
        return self.rol == self.Rol.BEHEERDER


class IdDocumentType(models.TextChoices):
    """The identity documents accepted when a new user is added (R14)."""

    PASPOORT = "paspoort", _("Paspoort")
    IDENTITEITSKAART = "identiteitskaart", _("Identiteitskaart")
    RIJBEWIJS = "rijbewijs", _("Rijbewijs")
    VREEMDELINGENDOCUMENT = "vreemdelingendocument", _("NL vreemdelingendocument")

    @property
    def tweezijdig(self) -> bool:
        """Front and back are both needed (one file with both, or two files)."""
        return self != IdDocumentType.PASPOORT


def id_document_pad(instance, filename: str) -> str:
    # Random names: the path never reveals whose document it is.
    return f"id-documenten/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Aanvraag(models.Model):
    """A request for support staff to process: a new middel, a koppeling, an upgrade, ..."""

    class Soort(models.TextChoices):
        NIEUW_MIDDEL = "nieuw_middel", _("Nieuw eHerkenningsmiddel")
        KOPPELING = "koppeling", _("Koppeling aan organisatie")
        UPGRADE = "upgrade", _("Wijziging niveau")
        TYPE_WIJZIGING = "type_wijziging", _("Wijziging type eHerkenningsmiddel")
        NIEUWE_ACTIVATIE = "nieuwe_activatie", _("Nieuwe uitnodiging tot activatie")
        NIEUWE_ORGANISATIE = "nieuwe_organisatie", _("Nieuwe organisatie")
        KETENMODULE = "ketenmodule", _("Module ketenmachtigingen")

    class Status(models.TextChoices):
        IN_BEHANDELING = "in_behandeling", _("In behandeling")
        GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
        AFGEKEURD = "afgekeurd", _("Afgekeurd")
        # Withdrawn by the beheerder who asked, before support handled it (Lopende aanvragen).
        INGETROKKEN = "ingetrokken", _("Ingetrokken")

    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_BEHANDELING, db_index=True
    )
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="aanvragen",
    )
    middel = models.ForeignKey(
        Middel,
        verbose_name=_("middel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aanvragen",
    )
    koppeling = models.ForeignKey(
        Koppeling,
        verbose_name=_("koppeling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aangevraagd_door = models.ForeignKey(
        Persoon,
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), default=timezone.now, db_index=True)
    spoed = models.BooleanField(_("spoed"), default=False)
    # What was asked, as entered (niveau, rol, ID data, subscription, costs accepted, ...).
    gegevens = models.JSONField(_("gegevens"), default=dict, blank=True)
    id_document_voorzijde = models.FileField(
        _("identiteitsdocument (voorzijde)"), upload_to=id_document_pad, blank=True
    )
    id_document_achterzijde = models.FileField(
        _("identiteitsdocument (achterzijde)"), upload_to=id_document_pad, blank=True
    )
    # EH2+ (R15): the activation letter support prints and posts to the company address; made after approval.
    activatiebrief = models.FileField(_("activatiebrief (PDF)"), upload_to="activatiebrieven/%Y/%m", blank=True)
    behandeld_door = models.ForeignKey(
        Persoon,
        verbose_name=_("behandeld door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    behandeld_op = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    reden_afkeuring = models.TextField(_("reden van afkeuring"), blank=True)

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ["-spoed", "aangevraagd_op"]
        constraints = [
            # R13 in the database too: one open mutation per middel.
            models.UniqueConstraint(
                fields=["middel"],
                condition=Q(status="in_behandeling") & Q(middel__isnull=False),
                name="een_open_aanvraag_per_middel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} – {self.organisatie} ({self.get_status_display()})"

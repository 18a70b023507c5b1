"""Settings shared by every environment, read strictly from the environment through django-environ.

A missing required value or a value that does not parse stops the process at start-up.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class StrictEnv(environ.Env):
    """django-environ, but a boolean that is not clearly true or false stops start-up instead of
    silently meaning False."""

    TRUE = ("true", "on", "ok", "y", "yes", "1")
    FALSE = ("false", "off", "n", "no", "0", "")

    def bool(self, var, default=environ.Env.NOTSET):
        if var not in self.ENVIRON:
            if default is self.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable")
            return default
        value = self.ENVIRON[var]
        if str(value).strip().lower() in self.TRUE:
            return True
        if str(value).strip().lower() in self.FALSE:
            return False
        raise ImproperlyConfigured(f"{var} must be true or false, not {value!r}")


env = StrictEnv()
# A local .env is a convenience for developers; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the Celery worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own widget templates, found by the TemplatesSetting form renderer (common.forms).
    "django.forms",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # our apps
    "audit",
    "berichten",
    "organisaties",
    "catalogus",
    "handelsregister",
    "facturatie",
    "gebruikers",
    "machtigingen",
    "ketenmachtigingen",
    "groepen",
    "inloggen",
    "instellingen",
    "api",
    "beheer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "common.middleware.GeenNulMiddleware",
    "common.middleware.GeenOpslagMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "inloggen.middleware.TaalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after the language and messages, which its page uses
    "common.middleware.NietToegestaanMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "beheer.middleware.OrganisatieMiddleware",
    # axes last, as its documentation asks
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beheer.context_processors.beheer",
            ],
            # common/ is no app; its display filters (phone numbers, dates) are registered here.
            "libraries": {"weergave": "common.templatetags.weergave"},
        },
    }
]

# One form renderer: every form renders as NL Design System (Utrecht) components (templates/forms/).
FORM_RENDERER = "common.forms.FormRenderer"

AUTH_USER_MODEL = "gebruikers.Persoon"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/inloggen/"
LOGIN_REDIRECT_URL = "/"

SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: every request extends the session
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout (django-axes): 5 failures per username+address lock for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind a reverse proxy: the header it sets with the client's address, believed only from these proxies
# (common.clientip). Lockout, rate limits and the Inloghistorie all use that one address.
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="")  # e.g. HTTP_X_FORWARDED_FOR
TRUSTED_PROXY_IPS = env.list("TRUSTED_PROXY_IPS", default=[])
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"
# Failed log-ins from one address over any user names per 15 minutes; recovery e-mails per hour.
INLOGGEN_MISLUKT_PER_ADRES = env.int("INLOGGEN_MISLUKT_PER_ADRES", default=30)
HERSTEL_PER_ADRES = env.int("HERSTEL_PER_ADRES", default=10)
HERSTEL_PER_EMAIL = env.int("HERSTEL_PER_EMAIL", default=3)
# Failed attempts are stored with their POST data: never the secrets in it.
AXES_SENSITIVE_PARAMETERS = ["password", "code", "new_password1", "new_password2"]
OTP_TOTP_ISSUER = "Beheermodule"
SUDO_MINUTEN = env.int("SUDO_MINUTEN", default=5)  # sensitive actions re-ask the password after this (inloggen.sudo)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Content-Security-Policy (django-csp) on every response: scripts, styles, images and fonts only from this site,
# no inline script or style, no framing, forms only to this site. Behaviour lives in static/js (data-bm-*).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "node_modules")]
STORAGES = {
    # Uploaded ID documents are private: never under STATIC or a public URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("DJANGO_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Beheermodule <noreply@beheermodule.example>")

# Celery: a broker is always configured. Without REDIS_URL kombu's filesystem transport is the
# embedded broker, so `make run` needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_DATA_DIR = Path(env.str("CELERY_DATA_DIR", default=str(BASE_DIR / "var" / "celery")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = "file://" + str(CELERY_DATA_DIR / "results")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
# The caches hold the rate-limit counters (log-in and recovery in "default", the API's in "api"): shared by every
# worker through Redis when it is configured; without it (make run: one process) Django's local memory is enough.


def caches_voor(redis_url: str) -> dict:
    """The caches: Redis when configured (shared by every process), else local memory per process."""
    if redis_url:
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
        return {alias: {**backend, "KEY_PREFIX": alias} for alias in ("default", "api")}
    return {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "api")
    }


CACHES = caches_voor(REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Installations (and test runs) that share one Redis keep their tasks apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")
# The schedule lives in code; each job is set-based and idempotent, so running one twice is harmless.
CELERY_BEAT_SCHEDULE = {
    "verloop-activaties": {"task": "gebruikers.tasks.verloop_activaties", "schedule": crontab(minute="*/15")},
    "voer-opzeggingen-uit": {"task": "gebruikers.tasks.voer_opzeggingen_uit", "schedule": crontab(minute=5)},
    "verloop-machtigingen": {
        "task": "machtigingen.tasks.verloop_machtigingen",
        "schedule": crontab(minute=10),
    },
    # R76: after the expiry job of the night, before the morning's reminders.
    "ongebruikte-machtigingen": {
        "task": "machtigingen.tasks.ongebruikte_machtigingen_afhandelen",
        "schedule": crontab(hour=6, minute=30),
    },
    "bezorg-openstaande-berichten": {
        "task": "berichten.tasks.bezorg_openstaande_berichten",
        "schedule": crontab(minute="*"),
    },
    "herinner-verlopende-machtigingen": {
        "task": "berichten.tasks.herinner_verlopende_machtigingen",
        "schedule": crontab(hour=7, minute=0),
    },
    "waarschuw-eigen-middel-zonder-andere-beheerder": {
        "task": "berichten.tasks.waarschuw_eigen_middel_zonder_andere_beheerder",
        "schedule": crontab(hour=7, minute=15),
    },
    "verloop-ketenmachtigingen": {
        "task": "ketenmachtigingen.tasks.verloop_ketenmachtigingen",
        "schedule": crontab(minute=20),
    },
    "verloop-groepsmachtigingen": {
        "task": "groepen.tasks.verloop_groepsmachtigingen",
        "schedule": crontab(minute=25),
    },
}

# SMS: the development backend keeps messages in the database for staff and developers to read;
# the gateway backend posts them to an SMS provider's HTTP API.
SMS_BACKEND = env.str("SMS_BACKEND", default="berichten.sms.DatabaseSmsBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=5.0)
SMS_AFZENDER = env.str("SMS_AFZENDER", default="Beheermodule")

# Handelsregister: the embedded register by default; the real KvK API when chosen.
HANDELSREGISTER_BACKEND = env.str("HANDELSREGISTER_BACKEND", default="embedded")
if HANDELSREGISTER_BACKEND not in {"embedded", "kvk"}:
    raise ImproperlyConfigured("HANDELSREGISTER_BACKEND must be 'embedded' or 'kvk'")
KVK_API_BASE_URL = env.str("KVK_API_BASE_URL", default="https://api.kvk.nl")
KVK_API_KEY = env.str("KVK_API_KEY", default="")
KVK_API_TIMEOUT = env.float("KVK_API_TIMEOUT", default=5.0)
if HANDELSREGISTER_BACKEND == "kvk" and not KVK_API_KEY:
    raise ImproperlyConfigured("KVK_API_KEY is required when HANDELSREGISTER_BACKEND is 'kvk'")

# The public address of this installation, for links in e-mails (activation, invitations).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Machtigingenregister API (api/) ---------------------------------------------------------------------------
# "ninja" as an app so its docs page (/api/docs/) loads Swagger UI from our static files, never from a CDN.
INSTALLED_APPS += ["ninja"]
# Requests per client per window; a client above it gets 429 until the window ends.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=1200)
API_RATE_WINDOW_SECONDS = env.int("API_RATE_WINDOW_SECONDS", default=60)
# Each web process adds its count of a client's requests to the shared counter at most this often (seconds); all
# processes together may go over the limit by what each counted in that time.
API_RATE_SYNC_SECONDS = env.float("API_RATE_SYNC_SECONDS", default=0.1)
# At most this many evaluations in one batch (a larger batch is refused with 400).
API_BATCH_MAX = env.int("API_BATCH_MAX", default=1000)
# At most this many results per search page (a client may ask for fewer with page.limit).
API_SEARCH_PAGE_SIZE = env.int("API_SEARCH_PAGE_SIZE", default=100)
# The rate counters live in this cache (CACHES above: Redis when configured, shared by every web process).
API_RATE_CACHE = "api"
# How long the decision log (for the trust framework) is kept; a nightly job deletes older entries.
REGISTER_LOG_RETENTION_DAYS = env.int("REGISTER_LOG_RETENTION_DAYS", default=365)
# The decision log is written in batches: when this many decisions are waiting, or the oldest waits this long
# (checked after each answer; the rest is written when the process exits).
REGISTER_LOG_BATCH = env.int("REGISTER_LOG_BATCH", default=200)
REGISTER_LOG_FLUSH_SECONDS = env.float("REGISTER_LOG_FLUSH_SECONDS", default=2.0)
# Generations of data (common.generaties) are counted in this cache, which every process must share; a process
# reads them at most this often (seconds), so another process's change reaches it that much later at most.
GENERATIE_CACHE = "default"
GENERATIE_MAX_LEEFTIJD = env.float("GENERATIE_MAX_LEEFTIJD", default=0.1)
# A process answers a question it answered before from memory while the register's data is unchanged
# (api.beslissen). Only with a cache all processes share (Redis): with local memory a Celery worker's change
# would not reach the web processes.
REGISTER_BESLISCACHE = env.bool("REGISTER_BESLISCACHE", default=bool(REDIS_URL))
# About 1.7 kB of memory per question kept (measured), so at most some 35 MB per worker.
REGISTER_BESLISCACHE_MAX = env.int("REGISTER_BESLISCACHE_MAX", default=20_000)
# An answer kept is decided afresh after this many seconds, and a process that failed to announce a change (the
# shared cache unreachable) trusts no generation for as long: a change nobody heard of is served at most that long
# (R77 lets a broker rely on an answer for 4 hours).
REGISTER_BESLISCACHE_SECONDEN = env.int("REGISTER_BESLISCACHE_SECONDEN", default=300)
GENERATIE_STORING_SECONDEN = REGISTER_BESLISCACHE_SECONDEN
CELERY_BEAT_SCHEDULE["verwijder-oude-beslissingen"] = {
    "task": "api.tasks.verwijder_oude_beslissingen",
    "schedule": crontab(hour=3, minute=30),
}

"""Django settings: every deploy-time value comes from the environment, SQLite by default.

Environment variables (all optional for a local demo):

- ``ICC_SECRET_KEY``: required when ``ICC_DEBUG`` is off.
- ``ICC_DEBUG``: ``1``/``0`` (default ``1`` so that a fresh checkout just runs).
- ``ICC_ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
- ``DATABASE_URL``: e.g. ``postgres://icc:icc@127.0.0.1:5432/icc``; SQLite file ``var/icc.sqlite3`` when unset.
- ``ICC_DATA_DIR``: where the SQLite file and uploads live (default ``<project>/var``).
- ``ICC_EMAIL_BACKEND``: Django e-mail backend (default: the console backend).
- ``ICC_FROM_EMAIL``: sender address of the platform's e-mails.
- ``ICC_UPLOAD_MAX_MB``: largest evidence file accepted, in MB (default 10).
- ``ICC_UPLOAD_EXTENSIONS``: allowed evidence file extensions (default pdf, office documents, csv, txt, images).
- ``ICC_STATIC_ROOT``: where ``collectstatic`` gathers static files for a production web server.
- ``ICC_HTTPS``: ``1`` when the platform is served over HTTPS (behind a proxy that sets ``X-Forwarded-Proto``):
  redirects HTTP, secure cookies, HSTS.
- ``ICC_HSTS_SECONDS``: how long browsers must use HTTPS only, with ``ICC_HTTPS`` (default one year).
- ``ICC_PROXY_COUNT``: how many reverse proxies in front of the platform append to ``X-Forwarded-For`` (default 0:
  the client's address is the connection's); sign-in and password-reset limits count per client address.
- ``ICC_LOGIN_FAILURE_LIMIT``: failed sign-ins with one user name from one address before a pause (default 5).
- ``ICC_LOGIN_ADDRESS_FAILURE_LIMIT``: failed sign-ins from one address, whatever the user names (default 20).
- ``ICC_LOGIN_COOLOFF_MINUTES``: how long signing in stays paused after the last counted failure (default 15).
- ``ICC_LOG_LEVEL``: level of the platform's and Django's log lines on stderr (default ``INFO``).
- ``ICC_TASKS_BACKEND``: the django-tasks backend that queues background jobs (default
  ``django_tasks_db.DatabaseBackend``: the queue is a table of the platform's database, run by ``icc worker``).
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from icc.web import paths
from icc.web.paths import data_dir

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = paths.PROJECT_DIR


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number of at least {minimum}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number of at least {minimum}")
    return number


def env_number(name: str, default: float, minimum: float, maximum: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not minimum <= number <= maximum:  # also refuses nan and inf
        raise ImproperlyConfigured(f"{name}={value!r}: expected a number from {minimum:g} to {maximum:g}")
    return number


def env_url(name: str, default: str) -> str:
    value = (os.environ.get(name) or "").strip() or default
    if not value.startswith(("http://", "https://")) or "://" == value[-3:]:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a web address such as https://icc-index.example.org")
    return value.rstrip("/")


def env_import_path(name: str, default: str) -> str:
    """A dotted path to a class (``package.module.Class``); imported when first used, not here."""
    value = (os.environ.get(name) or "").strip() or default
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", value):
        raise ImproperlyConfigured(f"{name}={value!r}: expected a dotted path such as django_tasks_db.DatabaseBackend")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().upper() not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: expected one of {', '.join(choices)}")
    return value.strip().upper()


DEBUG = env_bool("ICC_DEBUG", True)
SECRET_KEY = os.environ.get("ICC_SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("ICC_SECRET_KEY_FILE"):  # `icc serve` keeps one per data directory
    SECRET_KEY = Path(os.environ["ICC_SECRET_KEY_FILE"]).read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("ICC_SECRET_KEY must be set when ICC_DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ICC_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("ICC_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("ICC_HSTS_SECONDS", 365 * 24 * 3600)
# HSTS for every subdomain, and the browsers' preload list, bind all subdomains of the host to HTTPS for good:
# the operator's decision for their domain, not the platform's. django-ratelimit warns about every cache it has
# not tested; its rate-limit cache here is a database cache with an atomic increment (see CACHES).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021", "django_ratelimit.W001"]
DATA_DIR = data_dir()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_ratelimit",
    "ninja",  # serves its bundled Swagger UI instead of loading it from a CDN
    "django_tasks",
    "django_tasks_db",
    "icc.web.accounts",
    "icc.web.network",
    "icc.web.questionnaire",
    "icc.web.jobs",
    "icc.web.results",
    "icc.web.learning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "icc.web.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "icc.web.results.caching.PublicDataCacheMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused sign-in into the lockout page
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}},
    # counts shared by every worker and machine (in the database; its table is made by a migration). When full,
    # expired counts go first; room for far more live counts than Django's default 300, since a count dropped to
    # make room would let its client start afresh.
    "rate-limits": {
        "BACKEND": "icc.web.accounts.shared_cache.AtomicDatabaseCache",
        "LOCATION": "icc_rate_limits",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
}

# Background jobs (django-tasks): the queue, the worker and the results are the library's; icc.web.jobs adds who
# started a job and its progress. Another backend (e.g. one on Redis) is a matter of this one variable; it must be
# able to fetch a result by id (the job pages read status and failure from it).
TASKS = {"default": {"BACKEND": env_import_path("ICC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

ROOT_URLCONF = "icc.web.urls"
WSGI_APPLICATION = "icc.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "icc.web.context_processors.version",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "icc.sqlite3"),
            # WAL: readers never block the writer, and a committed write survives a crash
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before any password is checked
    "icc.web.accounts.signin.UserNameBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "questionnaire:list"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `icc-admin collectstatic` target for production; unset, static files are served from the package (whitenoise)
STATIC_ROOT = os.environ.get("ICC_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Evidence files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = DATA_DIR / "uploads"
UPLOAD_MAX_BYTES = int(env_number("ICC_UPLOAD_MAX_MB", 10, 0.001, 1024) * 1024 * 1024)
UPLOAD_EXTENSIONS = env_list("ICC_UPLOAD_EXTENSIONS", "pdf,doc,docx,odt,xls,xlsx,ods,csv,txt,png,jpg,jpeg")
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("ICC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ICC_FROM_EMAIL", "icc-index@localhost")
BASE_URL = env_url("ICC_BASE_URL", "http://127.0.0.1:8000")  # for links in e-mails

# Sign-in limits (django-axes, database handler: every worker and machine sees the same counts) on every
# authenticate() call: the site's login, /admin/login/ and any other. See icc.web.accounts.signin.
PROXY_COUNT = env_int("ICC_PROXY_COUNT", 0)
LOGIN_FAILURE_LIMIT = env_int("ICC_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ICC_LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_HANDLER = "icc.web.accounts.signin.SignInLimits"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ICC_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # and LOGIN_ADDRESS_FAILURE_LIMIT per address
AXES_USERNAME_CALLABLE = "icc.web.accounts.signin.user_name_for_limits"
AXES_CLIENT_IP_CALLABLE = "icc.web.accounts.signin.client_address"
AXES_LOCKOUT_CALLABLE = "icc.web.accounts.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time the lockout page gives stays true
# Password reset e-mails (django-ratelimit): per client address and per e-mail address, in the shared cache
RATELIMIT_USE_CACHE = "rate-limits"
RATELIMIT_IP_META_KEY = "icc.web.accounts.signin.client_address"

# Errors reach stderr in every mode (gunicorn's error log, the console): Django's (django.request: server errors
# with their traceback), the platform's (icc.*), and other libraries' warnings and errors.
LOG_LEVEL = env_choice("ICC_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING" if LOG_LEVEL in ("DEBUG", "INFO") else LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "icc": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}

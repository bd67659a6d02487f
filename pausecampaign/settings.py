"""Settings for the #PauseOfsted site: one module, configured from the environment.

With nothing set, the site runs locally on SQLite, runs Celery tasks in-process and
writes email to files under var/mail/. See the README for every variable.
"""

from __future__ import annotations

import os
import ssl
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from pausecampaign.env import (
    database_config,
    email_config,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    env_url,
    redis_neighbour_db,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

DEV_SECRET_KEY = "dev-only-not-secret-pauseofsted-local-development-key"  # noqa: S105 - refused without DEBUG
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50 or more characters when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

DEV_SITE_URL = "http://127.0.0.1:8000"
SITE_URL = env_str("SITE_URL", DEV_SITE_URL).rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.netloc:
    raise ImproperlyConfigured("SITE_URL must be an absolute http(s) URL, e.g. https://pauseofsted.org")
# Every emailed link is built from SITE_URL: in production a wrong one means no signature is ever confirmed.
if not DEBUG and not env_str("SITE_URL"):
    raise ImproperlyConfigured("SITE_URL must be set to the site's public address when DEBUG is off")
if not DEBUG and not validate_host(_site.hostname or "", ALLOWED_HOSTS):
    raise ImproperlyConfigured(f"SITE_URL's host {_site.hostname!r} must be one of ALLOWED_HOSTS")
# A site that redirects to https must send https links, to an address the world can reach.
# (A local production-like run, such as make bench, turns SECURE_SSL_REDIRECT off.)
if (
    not DEBUG
    and env_bool("SECURE_SSL_REDIRECT", True)
    and (
        _site.scheme != "https" or _site.hostname in {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104
    )
):
    raise ImproperlyConfigured("SITE_URL must be the site's public https address when DEBUG is off")
SITE_NAME = "#PauseOfsted"
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

# The reverse proxies in front of gunicorn, by address or network (e.g. 172.18.0.0/16).
# X-Forwarded-For and X-Forwarded-Proto are believed only from these; with none
# named, the socket peer is the client. See pausecampaign/client_ip.py.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
if "TRUSTED_PROXY_COUNT" in os.environ:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is no longer read: name your proxies' addresses in TRUSTED_PROXIES instead"
    )

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "#PauseOfsted <hello@pauseofsted.invalid>")

# The data controller, named on the privacy notice, the accessibility statement and every
# page's footer (UK GDPR Article 13). Required in production, as SECRET_KEY is.
CONTROLLER_NAME = env_str("CONTROLLER_NAME", "#PauseOfsted (development site)" if DEBUG else "")
CONTROLLER_ADDRESS = env_str("CONTROLLER_ADDRESS", "No postal address: this is a development site" if DEBUG else "")
CONTROLLER_EMAIL = env_str("CONTROLLER_EMAIL", "privacy@pauseofsted.invalid" if DEBUG else "")
DPO_NAME = env_str("DPO_NAME")
DPO_EMAIL = env_str("DPO_EMAIL")
_missing = [n for n in ("CONTROLLER_NAME", "CONTROLLER_ADDRESS", "CONTROLLER_EMAIL") if not globals()[n]]
if _missing:
    raise ImproperlyConfigured(f"{', '.join(_missing)} must be set when DEBUG is off: the privacy notice names them")
ADMINS = [("Operator", a) for a in env_list("ADMINS", [])]
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "pledges",
    "briefings",
]

MIDDLEWARE = [
    "pausecampaign.middleware.RequestIdMiddleware",
    "pausecampaign.middleware.RequestSizeLimitMiddleware",
    "pausecampaign.middleware.DropUntrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pausecampaign.middleware.RejectNullBytesMiddleware",
    "pausecampaign.middleware.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "pausecampaign.middleware.AdminRequiresSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pausecampaign.middleware.SecurityHeadersMiddleware",
    "pausecampaign.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "pausecampaign.urls"
WSGI_APPLICATION = "pausecampaign.wsgi.application"

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
                "pausecampaign.context_processors.site",
                "briefings.context_processors.navigation",
            ],
        },
    },
    {
        # Email subjects and plain-text bodies: nothing to escape, since no browser reads them.
        # (HTML-escaping them sends "O&#x27;Brien &amp; Co" to people.) Rendered only through
        # pausecampaign.mail.render_text, never for a web page.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASE = env_url("DATABASE_URL", {"postgres", "postgresql"})
if DATABASE is None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": database_config(DATABASE, str(VAR_DIR / "db.sqlite3"), pgbouncer=env_bool("DATABASE_PGBOUNCER", False))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS = env_url("REDIS_URL", {"redis", "rediss"})
REDIS_URL = REDIS["url"] if REDIS else ""
if REDIS:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Never the broker's database: cache.clear() flushes its whole database.
            "LOCATION": env_str("REDIS_CACHE_URL") or redis_neighbour_db(REDIS_URL),
            "KEY_PREFIX": "pc",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker when REDIS_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged once its work is done, so a worker that dies mid-task leaves it
# for another. Every task has a time limit; long jobs are never prefetched behind short ones.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 660
# Three queues: "mail" (sending, transactional lane first), "bulk" (broadcast fan-out,
# invalidations, the bulk sending lane) and the default "celery" (periodic jobs). A
# worker started as `celery worker -Q celery,mail` is never held up by bulk work.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "pledges.tasks.deliver_email": {"queue": "mail"},
    "pledges.tasks.deliver_waiting": {"queue": "mail"},
    "pledges.tasks.fan_out_broadcast": {"queue": "bulk"},
    "pledges.tasks.run_invalidation": {"queue": "bulk"},
    "pledges.tasks.notify_threshold": {"queue": "bulk"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must not hang a web request when Redis is down: fail fast, and let
# the outbox sweep deliver what the nudge could not.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
if REDIS and REDIS["scheme"] == "rediss":
    # Managed Redis over TLS: verify the server's certificate.
    CELERY_BROKER_USE_SSL = {"ssl_cert_reqs": ssl.CERT_REQUIRED}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    "deliver-stuck-email": {"task": "pledges.tasks.sweep_outbox", "schedule": timedelta(seconds=30)},
    "remind-unconfirmed": {"task": "pledges.tasks.remind_unconfirmed", "schedule": timedelta(minutes=15)},
    "purge-expired": {"task": "pledges.tasks.purge_expired", "schedule": crontab(minute=17)},
    "recount": {"task": "pledges.tasks.recount", "schedule": timedelta(minutes=10)},
    "step-reminders": {"task": "pledges.tasks.send_step_reminders", "schedule": timedelta(minutes=30)},
    "retention": {"task": "pledges.tasks.apply_retention", "schedule": crontab(hour=3, minute=30)},
    # A sweep behind the check each confirmation queues: a lost nudge delays an activation, never skips it.
    "commitments": {"task": "pledges.tasks.activate_commitments", "schedule": timedelta(minutes=10)},
    "link-accounts": {"task": "pledges.tasks.link_missing_accounts", "schedule": timedelta(minutes=1)},
}

globals().update(email_config(env_url("EMAIL_URL", {"smtp", "smtps", "file"}), str(VAR_DIR / "mail")))

# Accounts (django-allauth): the email address is the identity; a code by email is
# enough to sign in; a password is optional. Staff must add a second factor.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pledges:my_pledges"
ACCOUNT_ADAPTER = "pledges.adapter.AccountAdapter"
ACCOUNT_FORMS = {"request_login_code": "pledges.adapter.LoginCodeForm"}
ACCOUNT_USER_DISPLAY = "pledges.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
# Nobody adds an address by hand: an account holds only the spellings of one mailbox its owner
# proved by confirming a signature (see pledges.accounts.link_account).
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "signup": "20/m/ip",
}
# Sensitive account changes (removing the authenticator app, a new password) ask again after this.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "#PauseOfsted: "
# Staff: a second factor at least once per ADMIN_SECOND_FACTOR_MAX_AGE, and signed out
# after ADMIN_IDLE_TIMEOUT without an admin page (AdminRequiresSecondFactorMiddleware).
ADMIN_SECOND_FACTOR_MAX_AGE = timedelta(hours=env_int("ADMIN_SECOND_FACTOR_HOURS", 10, minimum=1))
ADMIN_IDLE_TIMEOUT = timedelta(minutes=env_int("ADMIN_IDLE_MINUTES", 30, minimum=1))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "#PauseOfsted"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Breached passwords, by Have I Been Pwned's k-anonymity range API: only the first five
    # characters of the SHA-1 leave the site. If the API cannot be reached it lets the
    # password through (the four checks above still apply) and logs a warning.
    {"NAME": "pwned_passwords_django.validators.PwnedPasswordsValidator"},
]
PWNED_PASSWORDS = {"API_TIMEOUT": 1.0}

LANGUAGE_CODE = "en-gb"
# Our own words for third-party strings (django-allauth in sentence case): locale/en_GB.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise like the rest.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Small bodies only: a signing form is a few hundred bytes. A 10 MB body or
# thousands of fields is refused with a 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
# The whole body, file parts included (RequestSizeLimitMiddleware): a little over the
# form limit, for multipart boundaries. No page takes a file, so none is ever stored.
REQUEST_BODY_MAX = 2 * DATA_UPLOAD_MAX_MEMORY_SIZE
FILE_UPLOAD_HANDLERS = ["pausecampaign.uploads.RefuseFilesHandler"]

# Cookies and transport.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
# Only believed from TRUSTED_PROXIES: DropUntrustedProxyHeadersMiddleware removes it from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way door an operator should choose, not a default.
    "security.W021",
]

# Signing, confirmation and anti-abuse.
CONFIRMATION_LINK_MAX_AGE = timedelta(days=env_int("CONFIRMATION_LINK_DAYS", 7, minimum=1))
UNCONFIRMED_REMINDER_AFTER = (timedelta(days=1), timedelta(days=4))
UNCONFIRMED_EXPIRES_AFTER = timedelta(days=7)
EXPIRED_PURGED_AFTER = timedelta(days=14)
# Retention (pledges/retention.py, run daily). The privacy notice shows these same values.
RETAIN_REFUSED = timedelta(days=env_int("RETAIN_REFUSED_DAYS", 30, minimum=1))
RETAIN_SENT_EMAIL = timedelta(days=env_int("RETAIN_SENT_EMAIL_DAYS", 30, minimum=1))
RETAIN_AFTER_CAMPAIGN = timedelta(days=env_int("RETAIN_AFTER_CAMPAIGN_DAYS", 183, minimum=1))
# No public figure counts fewer than this many people or schools (pledges/disclosure.py).
DISCLOSURE_THRESHOLD = env_int("DISCLOSURE_THRESHOLD", 3, minimum=2)
MAX_EMAILS_BEFORE_CONFIRMATION = 5
# Links in campaign emails stop working after these ages (a fresh email carries a fresh link).
STEP_LINK_MAX_AGE = timedelta(days=env_int("STEP_LINK_DAYS", 120, minimum=1))
EMAIL_SETTINGS_LINK_MAX_AGE = timedelta(days=env_int("EMAIL_SETTINGS_LINK_DAYS", 365, minimum=1))
INVITES_PER_SIGNER_PER_DAY = env_int("INVITES_PER_SIGNER_PER_DAY", 6, minimum=1)
INVITES_PER_IP_PER_DAY = env_int("INVITES_PER_IP_PER_DAY", 30, minimum=1)
SIGNING_RATE_PER_IP = env_int("SIGNING_RATE_PER_IP", 20, minimum=1)  # new addresses per IP per 5 minutes
SIGNING_RATE_PER_DOMAIN = env_int("SIGNING_RATE_PER_DOMAIN", 200, minimum=1)  # per uncommon domain per 5 minutes
COUNT_SHARDS = 16
TRENDING_THRESHOLD_PER_HOUR = env_int("TRENDING_THRESHOLD_PER_HOUR", 30, minimum=1)
COUNTS_CACHE_SECONDS = 1
# The outbox (pledges/outbox.py). A worker holds a claimed message for OUTBOX_LEASE and
# renews it as it goes; a message failing for a reason of its own is retried with waits
# from OUTBOX_FIRST_BACKOFF doubling to OUTBOX_MAX_BACKOFF, and given up only after
# OUTBOX_RETRY_WINDOW. A refused connection pauses every worker instead, from
# MAIL_SERVER_FIRST_BACKOFF doubling to MAIL_SERVER_MAX_BACKOFF, so mail goes within
# about a minute of the server's return. Transactional mail older than
# OUTBOX_ALERT_AFTER makes /healthz/ready unhealthy and logs an error.
OUTBOX_LEASE = timedelta(seconds=env_int("OUTBOX_LEASE_SECONDS", 60, minimum=1))
OUTBOX_FIRST_BACKOFF = env_int("OUTBOX_FIRST_BACKOFF_SECONDS", 30, minimum=1)
OUTBOX_MAX_BACKOFF = env_int("OUTBOX_MAX_BACKOFF_SECONDS", 3600, minimum=1)
OUTBOX_RETRY_WINDOW = timedelta(hours=env_int("OUTBOX_RETRY_HOURS", 48, minimum=24))
MAIL_SERVER_FIRST_BACKOFF = env_int("MAIL_SERVER_FIRST_BACKOFF_SECONDS", 2, minimum=1)
MAIL_SERVER_MAX_BACKOFF = env_int("MAIL_SERVER_MAX_BACKOFF_SECONDS", 60, minimum=1)
OUTBOX_ALERT_AFTER = timedelta(seconds=env_int("OUTBOX_ALERT_SECONDS", 300, minimum=1))
OUTBOX_ALERT_EVERY = timedelta(minutes=15)
# Date headers in Europe/London time with its offset, not "-0000".
EMAIL_USE_LOCALTIME = True
# Mount the benchmark's ceiling views (see bench/run.py). Never in production.
BENCH_CEILINGS = env_bool("BENCH_CEILINGS", False)
# Services a test may need; in CI a missing one fails the test instead of skipping it.
REQUIRE_SERVICES = env_bool("CI", False)

# Logs: plain text locally, one JSON object a line in production (LOG_FORMAT=json), each with
# the request id (web) or task id (Celery). Tokens and client IPs never appear (pausecampaign/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "pausecampaign.logs.JsonFormatter"},
    },
    "filters": {
        "no_tokens": {"()": "pausecampaign.logs.RedactTokens"},
        "request_id": {"()": "pausecampaign.logs.RequestId"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "no_tokens"],
        },
        # Errors (a stuck outbox, a failed job) by email to ADMINS, when set.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id", "no_tokens"],
        },
    },
    "root": {"handlers": ["console", *(["mail_admins"] if ADMINS else [])], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.security.DisallowedHost": {"level": "ERROR"}},
}

# Error reporting: only with SENTRY_DSN, and then without personal data.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
    )

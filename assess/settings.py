"""One settings file, configured from the environment with development defaults."""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from assess.operations import logs

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key is for development only; `check --deploy` flags it, and SECURE refuses it.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-development-key-set-SECRET_KEY-in-production"
if env_bool("SECURE", False) and not env_str("SECRET_KEY"):
    raise ImproperlyConfigured("SECURE=true needs SECRET_KEY: set a long random value.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("SITE_NAME", "Alliance Readiness")
# The site's public address, for links in mail sent off a request (reminders).
SITE_URL = env_str("SITE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_tasks_db",
    # /health/ (assess.operations.health adds the migrations and the task worker).
    "health_check",
    "health_check.contrib.db_heartbeat",
    "health_check.storage",
    "django_structlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "adminsortable2",
    "assess",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "assess.middleware.UnreadableBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The language chosen with the switcher or kept on the account outranks the browser's.
    "assess.middleware.SessionLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Binds the request's id (nginx's X-Request-ID, or a new one) and the user's id to every
    # log line of the request, and to the tasks it queues (assess.operations.logs).
    "django_structlog.middlewares.RequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sends to two-factor set-up whoever a policy requires it of (an organisation's, or
    # ADMIN_REQUIRE_2FA for the admin).
    "assess.middleware.TwoFactorPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After authentication, as django-axes needs: it turns a locked-out sign-in into our
    # lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees a view's database error first: a 503 "try again in a moment" page.
    "assess.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "assess.urls"
WSGI_APPLICATION = "assess.wsgi.application"

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
                "assess.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on during a write; IMMEDIATE takes the write lock at the start of a
    # transaction, so concurrent writers wait (up to the timeout) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# PDFs render off the request path: submitting queues a task in the database, and workers
# (`manage.py run_worker`, on any machine that reaches the database) take from the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The JSON API (assess/api/): calls per token in each window of seconds (counted in the
# cache, so share the cache between app servers), and a new token's default lifetime.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 120)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
# Webhook calls: seconds before a call is given up, and attempts before an event is dropped.
API_WEBHOOK_TIMEOUT = env_int("API_WEBHOOK_TIMEOUT", 10)
API_WEBHOOK_ATTEMPTS = env_int("API_WEBHOOK_ATTEMPTS", 5)
# A worker exits after this many tasks and `run_worker` starts a fresh one: WeasyPrint's
# memory grows with every render and is only given back when the process ends.
TASK_WORKER_MAX_TASKS = env_int("TASK_WORKER_MAX_TASKS", 25)
# Rendering is CPU work nobody waits on: the worker runs at a lower priority (nice 10), so
# on a machine it shares with the web workers, page requests go first.
TASK_WORKER_NICE = env_int("TASK_WORKER_NICE", 10)
# Each PDF renders in a child process that is killed after this many seconds or when it needs
# more than this much memory (MB of address space); the task fails with the reason and the
# worker takes the next one. The largest report the bank limits allow renders well within it.
PDF_RENDER_SECONDS = env_int("PDF_RENDER_SECONDS", 60)
PDF_RENDER_MEMORY_MB = env_int("PDF_RENDER_MEMORY_MB", 2048)

# An organisation's data (docs/privacy.md, assess/ownership/): how long a deleted organisation
# can be restored before `manage.py cleanup` purges it, how long an export can be downloaded,
# and how long things are kept (each applied by `manage.py cleanup`).
DELETION_GRACE_DAYS = env_int("DELETION_GRACE_DAYS", 7)
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
WORKSHOP_NAMES_RETENTION_DAYS = env_int("WORKSHOP_NAMES_RETENTION_DAYS", 180)
REPORT_PDF_RETENTION_DAYS = env_int("REPORT_PDF_RETENTION_DAYS", 90)
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 365)
MAIL_RETENTION_DAYS = env_int("MAIL_RETENTION_DAYS", 30)

# Peer comparisons: the fewest organisations a comparison is computed over, and the age (in
# days) after which the portfolio flags a result for re-assessment.
PEER_MIN_GROUP = env_int("PEER_MIN_GROUP", 10)
# Only organisations that contribute their own result see peers (docs/peer-comparison.md).
PEER_RECIPROCITY = env_bool("PEER_RECIPROCITY", True)
# A peer group's figures change only when at least k organisations, and at least this
# percentage of the group, have joined, left or re-submitted; replaced releases are kept this
# many days, so that no later one is cut close to them (assess/insights/peer_releases.py).
PEER_RELEASE_CHANGE_PERCENT = env_int("PEER_RELEASE_CHANGE_PERCENT", 10)
PEER_RELEASE_HISTORY_DAYS = env_int("PEER_RELEASE_HISTORY_DAYS", 365)
REASSESS_AFTER_DAYS = env_int("REASSESS_AFTER_DAYS", 365)
# Renewal reminders go out this many days before a membership's renewal date
# (manage.py send_reminders, run daily).
RENEWAL_REMINDER_DAYS = env_int("RENEWAL_REMINDER_DAYS", 30)

# The wrong-workshop-code throttle counts in the cache. The default cache is per process, so
# with several gunicorn workers or app servers each counts on its own; production shares one:
# CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache CACHE_LOCATION=assess_cache (and
# `manage.py createcachetable` once). See README, "Production".
CACHES = {
    # Where a queued task's log context waits for the worker (a table: assess.operations.logs).
    "django_structlog": {"BACKEND": "assess.operations.logs.TaskContextCache"},
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("CACHE_LOCATION", ""),
    },
}

# Argon2id first (assess/people/hashers.py); PBKDF2 kept so that older hashes still verify,
# and are rehashed with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "assess.people.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "assess.people.sso.SSOBackend",
]
# Sign-in throttling (django-axes). Failures are counted in the database, so every app server
# sees the same count. The lock is on the pair (email, client address): someone guessing
# cannot lock a colleague out from elsewhere, and one person mistyping does not lock out the
# whole office behind the same address. It lifts after AXES_COOLOFF_HOURS, or at once with
# `manage.py axes_reset_username EMAIL` (see README, "Sign-in throttling").
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(hours=env_int("AXES_COOLOFF_HOURS", 1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "assess.views.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "assess.people.security.client_ip"
# Reverse proxies in front of the app that append the address they saw to X-Forwarded-For
# (1 for a single nginx or load balancer). 0 uses the connection's own address.
PROXY_COUNT = env_int("PROXY_COUNT", 0)

LOGIN_URL = "login"

# Two-factor authentication (django-otp; README, "Two-factor authentication").
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", False)
# Seconds between the right password and the code before the sign-in starts again.
TWO_FACTOR_PENDING_SECONDS = env_int("TWO_FACTOR_PENDING_SECONDS", 300)
OTP_TOTP_ISSUER = SITE_NAME
# Wrong codes are counted per account in our throttle table (assess/people/two_factor.py), with a
# clear message; django-otp's own per-device delay would refuse a right code silently.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Single sign-on with OpenID Connect (README, "Single sign-on"): on when a client id is set.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
# The provider's `issuer` (from its /.well-known/openid-configuration): ID tokens must carry it.
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
if SSO_ENABLED and not all(
    (
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_ISSUER,
        OIDC_OP_JWKS_ENDPOINT or OIDC_RP_SIGN_ALGO.startswith("HS"),
    )
):
    raise ImproperlyConfigured(
        "OIDC_RP_CLIENT_ID is set: set OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, "
        "OIDC_OP_USER_ENDPOINT and OIDC_OP_ISSUER too, and OIDC_OP_JWKS_ENDPOINT unless "
        "OIDC_RP_SIGN_ALGO is HS256."
    )
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# Only languages whose catalogue is complete are offered (tests/test_i18n_catalogues.py fails
# when a msgid has no translation). Without this list Django offers every language it knows,
# so a German browser got a half-German admin and German month names inside English pages.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher (assess.views.accounts.language_set) sets Django's language cookie and keeps the
# choice in the session, and on the account of a signed-in user (assess.languages).
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Pages name dates by DATE_FORMAT and SHORT_DATE_FORMAT, so each language writes them its way.
FORMAT_MODULE_PATH = ["assess.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from npm at set-up (make setup runs npm ci); nothing third-party is committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # The API's docs page (Swagger UI) from the django-ninja package installed at set-up. Not
    # in INSTALLED_APPS: that would import ninja and Pydantic in every process, the task
    # worker's included, where only requests under /api/ need them.
    ("ninja", Path(importlib.util.find_spec("ninja").origin).parent / "static" / "ninja"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Every e-mail goes through the task queue (assess.operations.mail): the `default` mailer
# queues it in the request's transaction, and the task worker sends it with `delivery`.
# Development prints it to the worker's console; production sets EMAIL_BACKEND to the SMTP
# backend (the deploy check refuses the console one) and the server with EMAIL_HOST and friends.
MAILERS = {
    "default": {"BACKEND": "assess.operations.mail.QueuedEmailBackend"},
    "delivery": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    },
}
if MAILERS["delivery"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["delivery"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
# Tries of one mail before it is marked failed for the owners to see, and the wait after the
# first failed try (four times longer after each next one, at most six hours).
MAIL_ATTEMPTS = env_int("MAIL_ATTEMPTS", 6)
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
# An e-mailed invitation's link works once, for this many days.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Invitations e-mailed in 24 hours, per inviter and per organisation; one address is sent
# its invitation again at most once an hour.
INVITATIONS_PER_INVITER_DAY = env_int("INVITATIONS_PER_INVITER_DAY", 50)
INVITATIONS_PER_ORGANIZATION_DAY = env_int("INVITATIONS_PER_ORGANIZATION_DAY", 100)
# Hours a sign-up or address-verification link works.
EMAIL_LINK_HOURS = env_int("EMAIL_LINK_HOURS", 24)
# Access log entries older than this are deleted by `manage.py prune_access_log` (a daily cron).
ACCESS_LOG_DAYS = env_int("ACCESS_LOG_DAYS", 365)

# Comments are free text; this bounds a single POST so megabytes are refused early.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)
# A question bank's admin page edits every section, question and choice at once: about 3,000
# fields for the default bank, over Django's default limit of 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 20000)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Production behind TLS sets SECURE=true (see README, "Production").
if env_bool("SECURE", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers poll the app servers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    if not SECURE_SSL_REDIRECT:
        # Set false only where the proxy redirects HTTP to HTTPS itself, so the deploy
        # check's warning that Django does not is answered (README, "Production").
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Our pages load only our own files: no inline script or style, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# /health/ (assess.operations.health): a queued task (a PDF, an e-mail) waiting longer than
# this means no task worker is taking from the queue.
HEALTH_QUEUE_MAX_SECONDS = env_int("HEALTH_QUEUE_MAX_SECONDS", 120)
# Checks run one after another: each is a query or two, and threads would each open a
# database connection. /health/app/ leaves the task worker out, for load balancers.
HEALTH_CHECK = {
    "DISABLE_THREADING": True,
    "SUBSETS": {
        "app": [
            "DatabaseHeartBeatCheck",
            "Cache backend: default",
            "DefaultFileStorageHealthCheck",
            "Migrations",
        ]
    },
}

# Logs go to standard error, one JSON object a line (LOG_FORMAT=json), or readable lines
# (LOG_FORMAT=plain, as `make run` sets), each with the request's id (assess.operations.logs).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = logs.logging_config(level=env_str("LOG_LEVEL", "INFO"), fmt=LOG_FORMAT)
logs.configure_structlog()
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True  # nginx sets X-Request-ID (README)
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # the access log has them; logs need not
DJANGO_STRUCTLOG_DJANGO_TASKS_ENABLED = True  # the request's id goes on into the worker
# Errors go to Sentry (or a self-hosted one) when SENTRY_DSN is set, scrubbed of personal
# data (assess.operations.errors); otherwise they are mailed to ADMINS (comma-separated).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from assess.operations import errors

    errors.init(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
ADMINS = env_list("ADMINS")
SERVER_EMAIL = env_str("SERVER_EMAIL", env_str("DEFAULT_FROM_EMAIL", "noreply@localhost"))

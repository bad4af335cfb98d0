"""Settings for the 街道党建工作平台.

Every knob comes from the environment (see docs/deploy.md and .env.example). With nothing set
the portal runs "embedded": a SQLite file under var/, Celery tasks in-process, a local-memory
cache and mail printed to the console.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local state of the embedded default: database, media, secret

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")


def _embedded_secret_key() -> str:
    """A random key kept in var/ so sessions survive restarts; never in the repository."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="") or _embedded_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The sub-district's own name, printed in headers, the public boards and the annual report.
SUBDISTRICT_NAME = env("SUBDISTRICT_NAME", default="××街道")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "import_export",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "jiedao",
    "communities",
    "showcase",
    "assessment",
    "disclosure",
]

MIDDLEWARE = [
    "jiedao.request_log.RequestLogMiddleware",  # first: one log line per request, X-Request-ID
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiedao.pagecache.PublicPageMiddleware",  # above the session layer: public pages lose Vary: Cookie
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signed-in requests: idle sessions end, two-factor before any page, no-store on every response.
    "jiedao.signin.SignInMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiedao.urls"
if env.bool("BENCHMARK_FLOOR", default=False):  # `make bench` only: adds /bench-floor/ (jiedao/floor.py)
    ROOT_URLCONF = "jiedao.floor"
WSGI_APPLICATION = "jiedao.wsgi.application"

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
                "jiedao.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A new PostgreSQL connection per request costs several ms: keep each worker's connection for a
# minute, checked before reuse. 0 behind PgBouncer in transaction mode (docs/deploy.md); the
# embedded SQLite default needs none.
_DEFAULT_CONN_MAX_AGE = 60 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 0
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=_DEFAULT_CONN_MAX_AGE))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction mode a cursor may not outlive its transaction (.iterator()'s would).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "jiedao.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker when configured; otherwise every task runs in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
# Several installations (or test stacks) may share one Redis: each sends and consumes its own queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 等保: at least ten characters, of at least three of upper case, lower case, digits and others
    # (in place of Django's length validator, whose message has no Chinese in this Django release).
    {"NAME": "jiedao.signin.PasswordPolicyValidator", "OPTIONS": {"min_length": 10, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "todo:list"
LOGOUT_REDIRECT_URL = "home"

# Login lockout (等保): five wrong passwords for one account within the cool-off time lock it,
# whatever addresses they came from; failures older than the cool-off are forgotten, so the
# cool-off is also the window. Staff unlock accounts on the portal (accounts:locked_accounts).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jiedao.signin.lockout_response"  # the page says when the lock ends
# axes warns when the address is not part of the key: here the account alone is the key on purpose,
# so neither a new address nor a new browser escapes the lock.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after this many minutes without a request (jiedao.signin.SignInMiddleware), and
# after a working day whatever happens; closing the browser ends them too.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor sign-in (TOTP): required for auditors, superusers and staff who may reveal ID
# numbers; others may set it up. Only the embedded demo (`make run`) switches it off.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="党建工作平台")

# Content-Security-Policy on every response. Scripts only from our own static files (the templates
# have no inline scripts or handlers; htmx's eval is off in base.html). Styles also allow inline
# style attributes: progress bars set their width per value, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The portal speaks Chinese whatever the browser asks for (no LocaleMiddleware): one language, so a
# public page is the same for every visitor and may be cached (no Vary: Accept-Language).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
# Dates typed as 2026年11月30日, 2026/11/30 or 2026.11.30 are read by every form (jiedao/dates.py).
FORMAT_MODULE_PATH = ["jiedao.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")  # production: served by nginx
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env("STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
# Uploads and generated PDFs: local disk (MEDIA_ROOT), or an S3-compatible object store that every
# web node and worker shares (STORAGE_BACKEND=s3). Files are always served by permission-checked views.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            "file_overwrite": False,  # a second file of the same name gets a new name, as on disk
            "default_acl": None,  # private: the bucket's own policy, never public-read
            "querystring_auth": True,
        },
    }
elif STORAGE_BACKEND != "local":
    raise ValueError(f"STORAGE_BACKEND must be 'local' or 's3', not {STORAGE_BACKEND!r}")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Monthly updates are due on this day of the following month (communities app).
MONTHLY_UPDATE_DEADLINE_DAY = env.int("MONTHLY_UPDATE_DEADLINE_DAY", default=5)

# Public pages (jiedao/pagecache.py): served from the cache for visitors without a session, with an
# ETag; browsers and nginx may keep a copy this many seconds before revalidating (0: always ask,
# answered by a cheap 304, so a correction is seen at once).
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=0)

# Disclosure boards: attachment size, answer deadline (working days), residents' questions an hour per address.
DISCLOSURE_MAX_ATTACHMENT_BYTES = env.int("DISCLOSURE_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Uploaded archives (zip, and xlsx/docx, which are zips): the most their members may inflate to
# in all, and the most members, checked from the archive's directory before it is accepted.
UPLOAD_MAX_INFLATED_BYTES = env.int("UPLOAD_MAX_INFLATED_BYTES", default=100 * 1024 * 1024)
UPLOAD_MAX_ARCHIVE_MEMBERS = env.int("UPLOAD_MAX_ARCHIVE_MEMBERS", default=1000)
DISCLOSURE_ANSWER_WORKDAYS = env.int("DISCLOSURE_ANSWER_WORKDAYS", default=10)
DISCLOSURE_FEEDBACK_PER_HOUR = env.int("DISCLOSURE_FEEDBACK_PER_HOUR", default=5)
# The 诉求 ledger: filings an hour from one address, failed query-code look-ups an hour from one
# address, and the working days after closing within which a resident may re-open their case.
CASE_FILINGS_PER_HOUR = env.int("CASE_FILINGS_PER_HOUR", default=5)
CASE_LOOKUPS_PER_HOUR = env.int("CASE_LOOKUPS_PER_HOUR", default=30)
CASE_REOPEN_WORKDAYS = env.int("CASE_REOPEN_WORKDAYS", default=15)

# Several web nodes: nothing is kept in one process's memory. Sessions and login lockouts live in the
# database; the cache (rate limits, counters) in Redis when REDIS_URL is set; locks are row locks.
# With Redis, sessions are read through it (cached_db: written to both), which costs a signed-in
# request less than building the session's query; a process's own memory never holds one, as a
# sign-out on one node must end the session on every node.
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if REDIS_URL else 'db'}"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# /healthz for the load balancer: how long to wait for a Celery worker's answer, and the free space
# the media disk must keep (when media is on local disk).
HEALTH_WORKER_TIMEOUT = env.float("HEALTH_WORKER_TIMEOUT", default=2.0)
HEALTH_MIN_FREE_BYTES = env.int("HEALTH_MIN_FREE_BYTES", default=1024**3)

# Backups (`manage.py backup`, nightly by celery beat): where the archives go and how many are kept.
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Spreadsheet imports (jiedao/imports): the largest file accepted. Transactions and formula escaping
# are set on the resources and in jiedao/spreadsheets.py, not through django-import-export's settings.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Rows (after the header) and columns an import accepts; counted while streaming, whatever size
# the sheet declares, so a small file cannot unfold into millions of cells.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=50)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@jiedao.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS hardening: on in production (HTTPS=true), off for the embedded default and tests.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer asks each node over plain HTTP
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# How many reverse proxies of our own stand in front (1 behind the documented nginx): the client's
# address is taken from X-Forwarded-For that many hops back, never further (jiedao.client_address).
# Rate limits and sign-in lockouts key on it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "jiedao.client_address.client_address"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_STORE_JSON_CHANGES = False  # jiedao/audit.py writes bulk entries the same way
# Change-log entries are kept this many days (at least 180, checked at start-up), then archived to
# the storage and deleted by the daily beat job (jiedao.audit.purge_expired).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
# Timestamps are left out per model (exclude_fields in each apps.py): auditlog accepts
# AUDITLOG_EXCLUDE_TRACKING_FIELDS only together with AUDITLOG_INCLUDE_ALL_MODELS, which would log
# every model.
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Logs go to stderr (the journal in production). With LOG_LEVEL=INFO: one line per request
# (jiedao.request) and per task start/end (jiedao.tasks); every line carries the id of the request
# it was written in (jiedao/request_log.py). Errors come with their traceback; never on the page.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "jiedao.request_log.RequestIdFilter"}},
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},  # a line per page laid out: noise
        "axes": {"level": "WARNING"},  # a line per sign-in, with masked names: the request line says it
    },
}

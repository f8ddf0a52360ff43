"""Django settings for Civitas.

Everything that differs between a laptop and production comes from environment
variables (see ``civitas.env``). The defaults are the embedded mode: SQLite in WAL
mode, huey on SQLite, local-memory cache, e-mails printed on the console.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from civitas.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CIVITAS_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-checkout key kept in var/ so the embedded mode needs no configuration."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


DEBUG = env_bool("CIVITAS_DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or _local_secret_key()
# Key of the census hashes (civitas.authorizations); derived from SECRET_KEY when unset.
# Changing it (or SECRET_KEY when it is unset) makes uploaded census lists unusable.
CIVITAS_CENSUS_KEY = env_str("CIVITAS_CENSUS_KEY", "")


def _ballot_key() -> str:
    """The platform's ballot secret: kept outside the database, so that a stolen database
    or backup cannot decrypt the ballots of votes in platform-key mode (civitas.ballotbox.keys)."""
    key = env_str("CIVITAS_BALLOT_KEY")
    if key is None:
        key_file = VAR_DIR / "ballot_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            key_file.chmod(0o600)
        key = key_file.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        raise ImproperlyConfiguredEnv("CIVITAS_BALLOT_KEY must hold at least 32 random characters")
    return key


CIVITAS_BALLOT_KEY = _ballot_key()

# Organizations are found by host at run time (OrganizationMiddleware); an unknown
# host is answered with a plain 404 there, so Django's own host check is opened up.
ALLOWED_HOSTS = ["*"]
# Hosts that serve only the system panel (no organization behind them).
CIVITAS_SYSTEM_HOSTS = env_list("CIVITAS_SYSTEM_HOSTS", [])

INSTALLED_APPS = [
    "civitas.core",
    "civitas.ballotbox",
    "civitas.organizations",
    "civitas.accounts",
    "civitas.captcha",
    "civitas.system",
    "civitas.backoffice",
    "civitas.actionlog",
    "civitas.spaces",
    "civitas.components",
    "civitas.notifications",
    "civitas.comments",
    "civitas.moderation",
    "civitas.authorizations",
    "civitas.identity",
    "civitas.maps",
    "civitas.spam",
    "civitas.editor",
    "civitas.homepage",
    "civitas.legal",
    "civitas.versions",
    "civitas.communes",
    "civitas.newsletters",
    "civitas.people",
    "civitas.amendments",
    # Participation components: each registers its manifest; add new ones here.
    "civitas.components.pages",
    "civitas.components.proposals",
    "civitas.components.surveys",
    "civitas.components.sortition",
    "civitas.search",
    "civitas.stats",
    "civitas.opendata",
    "civitas.components.meetings",
    "civitas.components.debates",
    "civitas.components.budgets",
    "civitas.components.majority_judgment",
    "civitas.components.accountability",
    "civitas.components.petitions",
    "civitas.components.blog",
    "civitas.components.participatory_texts",
    "civitas.decidim_import",
    "civitas.api",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "imagekit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "civitas.core.middleware.RejectNulBytesMiddleware",
    # After the sessions: a participant's organization comes with their account (one query).
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civitas.organizations.middleware.OrganizationMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "civitas.accounts.middleware.TenantUserMiddleware",
    "civitas.core.middleware.OrganizationLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the redirects to log in, to accept new terms and to add a second factor: an htmx
    # request sent there loads the page in the window.
    "civitas.core.middleware.HtmxRedirectMiddleware",
    # A form's address opened as a page: a page that says so, not the browser's bare 405.
    "civitas.core.middleware.FormAddressMiddleware",
    # Newer terms of use to accept before acting (after the user and the organization are known).
    "civitas.legal.middleware.TermsAcceptanceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "civitas.accounts.middleware.AdminTwoFactorMiddleware",
    # After the CSP middleware: lets the provider buttons' forms lead to the providers.
    "civitas.identity.csp.ProviderFormActionMiddleware",
    # After the CSP middleware too: lets the pages show the organization's map tiles.
    "civitas.maps.middleware.TileImageSourceMiddleware",
]

ROOT_URLCONF = "civitas.urls"
CSRF_FAILURE_VIEW = "civitas.core.views.csrf_failure"
# Form templates come from our template directories, so civitas/templates/django/forms/ can refine them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "civitas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "civitas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "civitas.organizations.context_processors.organization",
                "civitas.notifications.context_processors.unread_notifications",
                "civitas.legal.context_processors.help_pages",
            ],
        },
    },
]
# Plain text (e-mail subjects and text bodies): the same templates, not HTML-escaped, or
# "l'école" reaches an inbox as "l&#x27;école". Used by name (``civitas.core.mail.render_text``).
TEMPLATES.append({**TEMPLATES[0], "NAME": "text", "OPTIONS": {"autoescape": False}})

# --- Database -------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# A PostgreSQL connection costs the server a new process: opening one per request made
# every page several times slower than on SQLite, where opening a file costs nothing.
DEFAULT_CONN_MAX_AGE = 0 if DATABASE_URL.startswith("sqlite") else 60
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CIVITAS_DB_CONN_MAX_AGE", DEFAULT_CONN_MAX_AGE, minimum=0),
        # A persistent connection the database dropped (restart, failover) is replaced
        # before the next request uses it, instead of failing that request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer writes; IMMEDIATE transactions
        # take the write lock up front so concurrent writers queue instead of failing.
        # secure_delete zeroes what is deleted instead of leaving it in free pages: a
        # budget voter's draft, deleted when the encrypted ballot is stored, must not stay
        # readable (with its account and time) in a copy of the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, task queue ----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "fragments": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    # Several consumers, on one machine or several, share this queue: a task stays in its
    # consumer's in-flight list until done and goes back to the queue if that consumer dies
    # (its heartbeat lapses for CIVITAS_HUEY_LEASE_SECONDS); each periodic task is enqueued
    # once per period whatever the number of consumers (civitas.core.taskqueue).
    HUEY = {
        "huey_class": "civitas.core.taskqueue.ReliableRedisHuey",
        "name": env_str("CIVITAS_HUEY_NAME", "civitas"),
        "url": REDIS_URL,
        "immediate": False,
        "lease_seconds": env_int("CIVITAS_HUEY_LEASE_SECONDS", 30, minimum=3, maximum=3600),
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Counters that several processes must agree on (rate limits, single-use
        # CAPTCHA tokens) cannot live in per-process memory: without Redis they
        # live in the database.
        "shared": {
            # Django's database cache, with rate-limit counters in one statement (core.counters).
            "BACKEND": "civitas.core.counters.SharedDatabaseCache",
            "LOCATION": "civitas_shared_cache",
            # Django's default of 300 entries would evict live counters as soon as 300
            # people are counted: anyone could then wipe a throttle by filling the table.
            # Expired rows are deleted hourly instead (core.tasks.delete_expired_counters).
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        # Whole rendered pages for anonymous visitors; their keys carry a content
        # version read from the database, so each process may keep its own copy.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "civitas-pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
        # Pieces of pages that every reader, logged in or not, sees the same (the cards
        # of a proposal list): many small entries, kept apart so that they do not push
        # the anonymous pages out. Their keys are made of what they show.
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "civitas-fragments",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "civitas",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
HUEY["immediate"] = env_bool("CIVITAS_HUEY_IMMEDIATE", False)
HUEY["consumer"] = {"workers": env_int("CIVITAS_HUEY_WORKERS", 2, minimum=1), "worker_type": "thread"}

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "civitas.accounts.backends.OrganizationAccountBackend",
    "civitas.accounts.backends.SystemAdminBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
OTP_TOTP_ISSUER = "Civitas"
# System admins must log in with a code from an authentication app; without one, the
# panel only lets them set it up.
CIVITAS_SYSTEM_REQUIRE_TWO_FACTOR = env_bool("CIVITAS_SYSTEM_REQUIRE_TWO_FACTOR", False)

RATELIMIT_USE_CACHE = "shared"
RATELIMIT_IP_META_KEY = "civitas.accounts.throttle.client_ip"
RATELIMIT_IPV6_MASK = 64  # an IPv6 client holds a whole /64: count it as one (throttle.client_network)
RATELIMIT_VIEW = "civitas.accounts.views.rate_limited"

CAPTCHA_TOKEN_MAX_AGE = env_int("CIVITAS_CAPTCHA_MAX_AGE", 600, minimum=30)
CAPTCHA_MIN_FILL_SECONDS = env_int("CIVITAS_CAPTCHA_MIN_FILL_SECONDS", 3, minimum=0)

# --- Internationalization -------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "civitas" / "locale"]
TIME_ZONE = env_str("CIVITAS_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "civitas" / "static"]
MEDIA_URL = "/media/"
# Thumbnails are written when an image is saved (see civitas.core.thumbnails); pages
# then never check that they exist. `manage.py generateimages` writes missing ones.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
# Spam detection: the shipped starter model, and where organizations' retrained models go.
CIVITAS_SPAM_STARTER_MODEL = Path(
    env_str("CIVITAS_SPAM_STARTER_MODEL", str(BASE_DIR / "civitas" / "spam" / "models" / "starter.joblib"))
)
CIVITAS_SPAM_MODEL_DIR = Path(env_str("CIVITAS_SPAM_MODEL_DIR", str(VAR_DIR / "spam")))
MEDIA_ROOT = Path(env_str("CIVITAS_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are always answered by civitas.core.media, which checks who may see them;
# behind nginx, set this to an internal location (e.g. /protected-media/) and nginx
# sends the bytes. Serving MEDIA_ROOT directly would publish private spaces' files.
CIVITAS_MEDIA_ACCEL_REDIRECT = env_str("CIVITAS_MEDIA_ACCEL_REDIRECT", "")
if CIVITAS_MEDIA_ACCEL_REDIRECT and not (
    CIVITAS_MEDIA_ACCEL_REDIRECT.startswith("/") and CIVITAS_MEDIA_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfiguredEnv(
        f"CIVITAS_MEDIA_ACCEL_REDIRECT={CIVITAS_MEDIA_ACCEL_REDIRECT!r} must start and end with / "
        "(the internal nginx location, e.g. /protected-media/)"
    )
if env_str("CIVITAS_SERVE_MEDIA") is not None:
    raise ImproperlyConfiguredEnv(
        "CIVITAS_SERVE_MEDIA is gone: uploads are always served through Civitas's check of who may see "
        "them. Remove it, remove any nginx location serving the media folder directly, and set "
        "CIVITAS_MEDIA_ACCEL_REDIRECT instead (see the README)."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "civitas.core.staticfiles.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------
EMAIL_BACKEND = env_str("CIVITAS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Only read by Django's file backend (benchmarks and fault drills keep the mail they send).
EMAIL_FILE_PATH = env_str("CIVITAS_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Civitas <noreply@localhost>")
# Newsletters: at most this many messages a minute per newsletter (what the mail server
# or the relay's contract allows), sent in batches of at most NEWSLETTER_BATCH_SIZE; an
# address stops receiving after NEWSLETTER_HARD_BOUNCE_LIMIT hard bounces.
NEWSLETTER_MAX_PER_MINUTE = env_int("NEWSLETTER_MAX_PER_MINUTE", 600, minimum=1)
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200, minimum=1, maximum=10000)
NEWSLETTER_HARD_BOUNCE_LIMIT = env_int("NEWSLETTER_HARD_BOUNCE_LIMIT", 2, minimum=1)

# --- Security -------------------------------------------------------------------
HTTPS = env_bool("CIVITAS_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
# Sessions stay in the database alone (Django's default), not read through a cache first
# (cached_db): a request that missed the cache wrote the session back to it after a
# log-out had deleted it, and the logged-out cookie worked again (found from outside).
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Only makes the domain eligible: browsers preload it once someone submits it to hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("CIVITAS_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CIVITAS_BEHIND_PROXY = env_bool("CIVITAS_BEHIND_PROXY", False)
# Port written into the links Civitas sends (e-mails, calendars, API pages) after the
# organization's host: empty in production (the scheme's own port), the development
# server's port otherwise. Links never take the port or the host of the request.
CIVITAS_LINK_PORT = env_int("CIVITAS_LINK_PORT", 0, minimum=0, maximum=65535)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if CIVITAS_BEHIND_PROXY else None
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Maps -----------------------------------------------------------------------
# Seconds the server waits for an organization's geocoder (address search) to answer.
CIVITAS_GEOCODER_TIMEOUT = env_int("CIVITAS_GEOCODER_TIMEOUT", 4, minimum=1, maximum=30)
# Organizations' admins type the geocoder's address: by default it may not be on this
# machine or its private network. Allow it for a geocoder of your own on your network.
CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES = env_bool("CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"path_as_route": {"()": "civitas.core.access_log.PathAsRouteFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CIVITAS_LOG_LEVEL", "INFO")},
    "loggers": {
        # Its lines name the request's path: logged as the URL pattern (see core/access_log.py).
        "django.request": {"level": "ERROR", "filters": ["path_as_route"]},
        # At DEBUG, Django's template engine logs every failed variable lookup with the whole
        # template context: on a receipt page, the receipt code. Never below INFO, whatever
        # CIVITAS_LOG_LEVEL says.
        "django.template": {"level": "INFO"},
    },
}

# Our backends scope e-mail by organization, so the e-mail need not be unique alone.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

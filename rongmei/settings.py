"""The one settings module. Every value comes from the environment through
:mod:`rongmei.config`; see the configuration table in README.md."""

import os
from pathlib import Path

from rongmei import config

ENV = os.environ
PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = config.data_dir(ENV)
config.ensure_data_dir(DATA_DIR)

SECRET_KEY = config.secret_key(ENV, DATA_DIR)
DEBUG = config.env_bool(ENV, "RONGMEI_DEBUG", False)
ALLOWED_HOSTS = config.env_list(ENV, "RONGMEI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list(ENV, "RONGMEI_CSRF_TRUSTED_ORIGINS", [])
# Behind a reverse proxy, the client address is the last hop it appends.
RONGMEI_TRUST_X_FORWARDED_FOR = config.env_bool(ENV, "RONGMEI_TRUST_X_FORWARDED_FOR", False)

INSTALLED_APPS = [
    "rongmei.core",
    "rongmei.proofreading",
    "rongmei.stories",
    "rongmei.archive",
    "rongmei.distribution",
    "rongmei.versions",
    "rongmei.website",
    "rongmei.analytics",
    "rongmei.interaction",
    "rongmei.performance",
    "rongmei.core.users_app.RongmeiUsersAppConfig",
    "wagtail.sites",
    "wagtail.contrib.routable_page",  # the website's search and feed addresses
    "wagtail.contrib.sitemaps",  # the website's sitemap.xml (Django's sitemaps app has its template)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v3",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs' JavaScript locally instead of from a CDN
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rongmei.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rongmei.urls"
WSGI_APPLICATION = "rongmei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": config.database(ENV, DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

QUEUE = config.queue(ENV, DATA_DIR)
HUEY = config.make_huey(QUEUE)
# The cache holds the website's rendered pages (rongmei.website.cache). It is
# shared by every web process and by the worker, whose publishing invalidates
# the pages: a Redis queue's server, else files in the data dir (a memory
# cache would be one per process, and the others would go on showing old pages).
if QUEUE.kind == "redis":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": QUEUE.location}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# The publish queue (rongmei.distribution.queue): how long a worker holds a
# delivery before another may take it over (a crashed worker's deliveries
# come back after this), and the first retry's wait, doubled each time.
DELIVERY_LEASE_SECONDS = config.env_seconds(ENV, "RONGMEI_DELIVERY_LEASE", 120)
DELIVERY_BACKOFF_SECONDS = config.env_seconds(ENV, "RONGMEI_DELIVERY_BACKOFF", 60)
# The website's page views (rongmei.analytics.visits) are added up in each
# web process and written at most this often: one write a second instead of
# one a view (a crashed process loses at most this long's counts).
PAGE_VIEW_FLUSH_SECONDS = config.env_seconds(ENV, "RONGMEI_PAGE_VIEW_FLUSH", 1)
# Wagtail's own background tasks (search indexing, reference index) go to
# the same Huey worker as ours, once the transaction that asked for them has
# committed (else a worker may look for a page or a story not written yet).
TASKS = {"default": {"BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend", "ENQUEUE_ON_COMMIT": True}}

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

LANGUAGE_CODE = config.language(ENV)
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_upstream"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start without it
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "archive": config.archive_storage(ENV, DATA_DIR),
}
# Uploads over 2.5 MB stream to temporary files in the data dir, never into memory.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
WHITENOISE_MAX_AGE = 3600

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if RONGMEI_TRUST_X_FORWARDED_FOR else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = config.env_bool(ENV, "RONGMEI_SECURE_COOKIES", False)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Mail (review notifications). Without a mail server, messages are written
# as files to the data dir's outbox instead of failing.
EMAIL_HOST = config.env_str(ENV, "RONGMEI_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(config.env_str(ENV, "RONGMEI_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = config.env_str(ENV, "RONGMEI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = config.env_str(ENV, "RONGMEI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = config.env_bool(ENV, "RONGMEI_EMAIL_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "outbox"
DEFAULT_FROM_EMAIL = config.env_str(ENV, "RONGMEI_EMAIL_FROM", "rongmei@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "融媒 Rongmei"
WAGTAILADMIN_BASE_URL = config.env_str(ENV, "RONGMEI_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars from gravatar.com would leak staff e-mail hashes and break on
# networks without internet; Wagtail's own default avatar is used instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

WAGTAIL_FINISH_WORKFLOW_ACTION = "rongmei.stories.workflow.approve_for_publication"
# 三审: nobody approves two levels of the same submission.
RONGMEI_REVIEW_DISTINCT_REVIEWERS = config.env_bool(ENV, "RONGMEI_REVIEW_DISTINCT_REVIEWERS", True)

# An API token's last-use time is written at most this often (seconds).
WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = 300

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": config.env_str(ENV, "RONGMEI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # httpx logs every request's address at INFO; some platforms put tokens there.
        "httpx": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

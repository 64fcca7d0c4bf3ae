"""Settings for the test suite: the production settings with fast hashing, in-memory mail and
tasks run at once. Everything else (database from DATABASE_URL, lockout, policies) stays real."""

import os

os.environ.setdefault("SECRET_KEY", "sciday-test-key-not-secret-3f8a1c9e7b5d2f4a6c8e0b1d3f5a7c9e")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402,F403
from .settings import MEDIA_ROOT  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = MEDIA_ROOT.parent / "var" / "test-media"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SCIDAY_CLOCK = ""

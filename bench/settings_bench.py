"""Settings for benchmarks: production settings (DEBUG off) plus the bare-Django floor view."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from sciday.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls_bench"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# bench/login.py measures one hasher at a time (its hashes are then verified and made by it).
if os.environ.get("BENCH_PASSWORD_HASHER"):
    PASSWORD_HASHERS = [os.environ["BENCH_PASSWORD_HASHER"], *PASSWORD_HASHERS]  # noqa: F405

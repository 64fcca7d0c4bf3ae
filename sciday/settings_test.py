"""Settings for the test suite: the production settings with fast hashing, in-memory mail and
tasks run at once. Everything else (database from DATABASE_URL, lockout, policies) stays real."""

import os

os.environ.setdefault("SECRET_KEY", "sciday-test-key-not-secret-3f8a1c9e7b5d2f4a6c8e0b1d3f5a7c9e")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402,F403
from .settings import MEDIA_ROOT  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # The real queue, for the tests that start `manage.py db_worker --backend db` (core/tests/test_workers.py).
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = MEDIA_ROOT.parent / "var" / "test-media"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SCIDAY_CLOCK = ""

# SQLite tests use a database file (in memory-backed /dev/shm where there is one), not SQLite's
# in-memory database: then the live server of the browser tests gets its own connection instead
# of sharing the test's, and the two never race on one connection's transaction state.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import hashlib
    from pathlib import Path

    _shm = Path("/dev/shm")  # noqa: S108 - a per-run file name, deleted after the run
    _dir = _shm if _shm.is_dir() and os.access(_shm, os.W_OK) else MEDIA_ROOT.parent
    _tag = hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:8]
    # The process id too: two runs in one checkout (or two xdist workers) never share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(_dir / f"sciday-test-{_tag}-{os.getpid()}.sqlite3")}  # noqa: F405

"""Settings come from the environment; production settings pass ``check --deploy``."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables the test process itself may carry (the test settings set some); each case sets its own.
_CLEARED = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}


def _run(args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    full_env.update(env)
    full_env["DJANGO_SETTINGS_MODULE"] = "sciday.settings"
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120)


def _print_setting(expression, **env):
    code = f"import django;django.setup();from django.conf import settings;print({expression})"
    full_env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    full_env.update(env, DJANGO_SETTINGS_MODULE="sciday.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_settings_pass_check_deploy():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], DEBUG="0",
                  SECRET_KEY="k7#Qm2!vX9$pL4@wR8^tY3&nB6*cF1%hJ5-zD0+gS_uE4(aT7)oI2[eW5]rN8{yM3}", ALLOWED_HOSTS="sciday.example.cn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["check"], DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sqlite_is_the_default_in_wal_mode():
    assert _print_setting("settings.DATABASES['default']['ENGINE']", DEBUG="1") == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in _print_setting("settings.DATABASES['default']['OPTIONS']['init_command']", DEBUG="1")


def test_database_url_switches_to_postgresql():
    engine = _print_setting("settings.DATABASES['default']['ENGINE']", DEBUG="1",
                            DATABASE_URL="postgres://postgres@127.0.0.1:5432/sciday")
    assert engine == "django.db.backends.postgresql"


def test_redis_url_switches_the_cache_and_s3_settings_switch_storage():
    assert _print_setting("settings.CACHES['default']['BACKEND']", DEBUG="1",
                          REDIS_URL="redis://127.0.0.1:6379/0") == "django.core.cache.backends.redis.RedisCache"
    assert _print_setting("settings.STORAGES['default']['BACKEND']", DEBUG="1",
                          AWS_STORAGE_BUCKET_NAME="sciday-media") == "storages.backends.s3.S3Storage"


def test_an_sqlite_database_on_disk_runs_in_wal_mode(tmp_path):
    mode = _print_setting(
        "__import__('django.db').db.connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]",
        DEBUG="1", SQLITE_PATH=str(tmp_path / "wal.sqlite3"),
    )
    assert mode == "wal"

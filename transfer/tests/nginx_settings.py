"""The gunicorn behind nginx in test_nginx.py: the test settings plus a token that the transfer app accepts."""

from sciday.settings_test import *  # noqa: F403

ROOT_URLCONF = "transfer.tests.nginx_urls"

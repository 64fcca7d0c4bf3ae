"""The project's URLs, and an authenticator for ``Bearer nginx-token`` (test_nginx.py's server process only)."""

from sciday.urls import urlpatterns  # noqa: F401
from transfer.registry import register_authenticator


def _nginx_test_owner(request):
    return "test:nginx" if request.headers.get("Authorization") == "Bearer nginx-token" else None


register_authenticator(_nginx_test_owner)

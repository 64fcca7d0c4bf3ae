from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Login, logout, failed logins and lockouts are announced by Django and django-axes only
        # through signals; these receivers turn them into audit records. Our own logic calls
        # services directly.
        from . import receivers  # noqa: F401

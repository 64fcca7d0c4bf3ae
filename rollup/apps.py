from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rollup"
    verbose_name = _("Roll-up to the province")

    def ready(self):
        # The parallel `transfer` app (resumable uploads) asks who owns an upload; an upward link's token does.
        from importlib.util import find_spec

        if find_spec("transfer") is not None:
            try:
                from transfer.registry import register_authenticator
            except ImportError:  # an older transfer app without the registry
                return
            from .auth import transfer_owner

            register_authenticator(transfer_owner)

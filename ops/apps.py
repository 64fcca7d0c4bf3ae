from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health and readiness probes, Prometheus metrics, request ids and JSON request logs."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from django.conf import settings

        if getattr(settings, "SCIDAY_METRICS", False):
            from . import metrics

            metrics.register()

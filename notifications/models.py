from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField


class Notification(models.Model):
    """An in-app message to one user (the bell); e-mail copies are sent beside it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when the e-mail copy went out, so that a task run twice sends it only once.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The first answer to a state-changing request sent with an ``Idempotency-Key``.

    A retry with the same key, from the same user or anonymous client, gets this answer again instead
    of doing the work twice (idempotency.middleware). The row is written in the same transaction as
    the request's own writes, so a record exists exactly when its answer is kept; kept a day
    (``manage.py prune_idempotency_keys``)."""

    scope = models.CharField(_("scope"), max_length=120)  # "u:<user id>" or "a:<hash of the anonymous client>"
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=2000)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)  # sha256 of method, path and body
    status = models.PositiveSmallIntegerField(_("response status"), null=True)
    headers = models.JSONField(_("response headers"), default=dict)
    body = models.BinaryField(_("response body"), default=b"")
    # Real time, not core.clock: the key's lifetime is a technical timer, like a session's.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self):
        return f"{self.scope}:{self.key}"

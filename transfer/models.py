import uuid
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import ClockDateTimeField

from . import conf


class Upload(models.Model):
    """One file sent in pieces over the tus 1.0 protocol (docs/transfer.md): its announced length and
    SHA-256, how many bytes have arrived (``offset``) and where they are written. The part lives in
    a private directory (transfer.conf.storage_dir) under the upload's id; no URL serves it."""

    class State(models.TextChoices):
        RECEIVING = "receiving", pgettext_lazy("transfer state", "Receiving")
        COMPLETE = "complete", pgettext_lazy("transfer state", "Complete")
        FAILED = "failed", pgettext_lazy("transfer state", "Failed")
        CONSUMED = "consumed", pgettext_lazy("transfer state", "Consumed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.CharField(_("owner"), max_length=200, db_index=True)
    filename = models.CharField(_("file name"), max_length=255)
    length = models.BigIntegerField(_("length (bytes)"))
    offset = models.BigIntegerField(_("bytes received"), default=0)
    sha256 = models.CharField(_("expected SHA-256"), max_length=64)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVING)
    error = models.TextField(_("error"), blank=True)
    created = ClockDateTimeField(_("created"), auto_now_add=True)
    updated = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("transfer upload")
        verbose_name_plural = _("transfer uploads")
        indexes = [models.Index(fields=["state", "updated"])]

    def __str__(self):
        return f"{self.filename} ({self.offset}/{self.length})"

    @property
    def path(self) -> Path:
        """The part's file: ``<storage dir>/<id>.part``."""
        return conf.storage_dir() / f"{self.id}.part"

    def open(self):
        """The complete file, opened for binary reading (the caller closes it)."""
        if self.state != self.State.COMPLETE:
            raise ValueError(f"upload {self.id} is {self.state}, not complete")
        return self.path.open("rb")

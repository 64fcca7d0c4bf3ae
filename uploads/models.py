import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .filetypes import IMAGE_TYPES


class AssetUse(models.TextChoices):
    """What a file is uploaded for; each use accepts its own file types and size (see uploads.conf.USES)."""

    IMAGE = "image", _("Photo")  # 照片：活动照片、推荐对象照片、服务记录照片
    VIDEO = "video", _("Video")  # 视频
    DOCUMENT = "document", _("Document")  # 文档：总结附件、同意书
    PLAN = "plan", _("Activity plan")  # 活动方案：文档或扫描件照片


class Asset(models.Model):
    """One stored file of sciday, with what it really is and who may see it; every upload becomes one."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    use = models.CharField(_("use"), max_length=20, choices=AssetUse.choices, db_index=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the stored file"), max_length=64, db_index=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    file = models.FileField(_("file"), max_length=255)
    thumbnail = models.FileField(_("thumbnail"), max_length=255, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assets",
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assets",
    )
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_name or str(self.public_id)

    def get_absolute_url(self) -> str:
        return reverse("uploads:asset", kwargs={"public_id": self.public_id})

    def get_thumbnail_url(self) -> str:
        return reverse("uploads:asset_thumbnail", kwargs={"public_id": self.public_id})

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


class PendingUpload(models.Model):
    """A file chosen on a long form that was refused for another reason, kept for the person who chose it so
    that nothing is picked twice; used (and removed) when the form is saved, pruned after a day."""

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE,
                              related_name="+")
    asset = models.ForeignKey(Asset, verbose_name=_("file"), on_delete=models.CASCADE, related_name="+")
    field = models.CharField(_("form field"), max_length=100)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")
        ordering = ["pk"]

    def __str__(self):
        return str(self.asset)

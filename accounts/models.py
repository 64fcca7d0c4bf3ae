import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in: a unit coordinator, office staff, an expert reviewer or an administrator.

    What a user may do follows from their memberships (organisations.UnitMembership,
    organisations.OfficeMembership), ``is_expert`` and ``is_superuser``; see accounts.permissions.
    """

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_expert = models.BooleanField(_("expert reviewer"), default=False)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set for an initial or reset password: the user must choose a new one at the next login."),
    )
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username


class UserSession(models.Model):
    """A session a user logged in with, so that deactivating the user can end all of them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    def __str__(self):
        return f"{self.user_id}:{self.session_key[:6]}…"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token for integrations; only its SHA-256 is stored, the secret is shown once."""

    PREFIX = "sd_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(_("beginning"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class OTPEnrolmentCode(models.Model):
    """A one-time code an organiser gives a person so they can enrol (or replace) a TOTP device.

    A password alone never enrols a device: whoever knows only the password (an attacker) could
    otherwise bind their own phone first. Only the SHA-256 of the code is stored; it is shown once,
    to the organiser who issued it, works once, and expires (``SCIDAY_OTP_ENROLMENT_CODE_HOURS``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="otp_enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-step enrolment code")
        verbose_name_plural = _("two-step enrolment codes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"

    # No 0/O/1/I/L: the code is read out over the phone or copied from a note.
    ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

    @staticmethod
    def normalise(code: str) -> str:
        return "".join(ch for ch in (code or "").upper() if ch.isalnum())

    @classmethod
    def hash_code(cls, code: str) -> str:
        return hashlib.sha256(cls.normalise(code).encode()).hexdigest()

    @classmethod
    def generate_code(cls) -> str:
        raw = "".join(secrets.choice(cls.ALPHABET) for _ in range(12))
        return "-".join(raw[i:i + 4] for i in range(0, 12, 4))

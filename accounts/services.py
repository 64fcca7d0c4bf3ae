"""Every write to accounts: creating people, their roles, passwords, sessions and API tokens."""

import secrets
import string
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.services import audit_record
from organisations.models import Office, OfficeMembership, Unit, UnitMembership

from .models import ApiToken, OTPEnrolmentCode, UserSession

User = get_user_model()

_INITIAL_ALPHABET = string.ascii_letters + string.digits


def generate_initial_password(user=None) -> str:
    """A random one-time password that meets the password policy (it must be changed at first login)."""
    while True:
        candidate = (
            "".join(secrets.choice(_INITIAL_ALPHABET) for _ in range(10))
            + secrets.choice("@#%+=")
            + secrets.choice(string.digits)
        )
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


@transaction.atomic
def account_create(
    *,
    actor,
    username: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    units: list[Unit] | tuple = (),
    offices: list[Office] | tuple = (),
    is_expert: bool = False,
) -> tuple["User", str]:
    """Create an account with a one-time initial password; return the user and that password.

    The password is shown once to the organiser who creates the account, and the user must change
    it at first login.
    """
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this username already exists.")})
    user = User(username=username, full_name=full_name, email=email, phone=phone, is_expert=is_expert,
                must_change_password=True)
    password = generate_initial_password(user)
    user.set_password(password)
    user.save()
    for unit in units:
        UnitMembership.objects.create(user=user, unit=unit)
    for office in offices:
        OfficeMembership.objects.create(user=user, office=office)
    audit_record(
        action="accounts.user.created",
        actor=actor,
        obj=user,
        changes={
            "units": [u.pk for u in units],
            "offices": [o.pk for o in offices],
            "is_expert": is_expert,
        },
    )
    return user, password


@transaction.atomic
def account_update(
    *,
    actor,
    user,
    full_name: str,
    email: str,
    phone: str,
    units: list[Unit] | tuple = (),
    offices: list[Office] | tuple = (),
    is_expert: bool = False,
):
    """Change a person's details and roles; role changes are audited as permission changes.

    Organisers cannot take away their own last office: that would lock them out of the page they are
    on, and perhaps leave the campaign without an organiser. Another organiser must do it.
    """
    if actor.pk == user.pk and not user.is_superuser and user.office_memberships.exists() and not offices:
        raise ValidationError(_("You cannot remove your own last office. Ask another organiser to do it."))
    before_units = set(user.unit_memberships.values_list("unit_id", flat=True))
    before_offices = set(user.office_memberships.values_list("office_id", flat=True))
    before = {"full_name": user.full_name, "email": user.email, "phone": user.phone, "is_expert": user.is_expert}
    user.full_name, user.email, user.phone, user.is_expert = full_name, email, phone, is_expert
    user.save(update_fields=["full_name", "email", "phone", "is_expert"])
    after_units = {u.pk for u in units}
    after_offices = {o.pk for o in offices}
    UnitMembership.objects.filter(user=user).exclude(unit_id__in=after_units).delete()
    for unit_id in after_units - before_units:
        UnitMembership.objects.create(user=user, unit_id=unit_id)
    OfficeMembership.objects.filter(user=user).exclude(office_id__in=after_offices).delete()
    for office_id in after_offices - before_offices:
        OfficeMembership.objects.create(user=user, office_id=office_id)
    changes = {
        field: [old, getattr(user, field)] for field, old in before.items() if old != getattr(user, field)
    }
    if changes:
        audit_record(action="accounts.user.updated", actor=actor, obj=user, changes=changes)
    if before_units != after_units or before_offices != after_offices or before["is_expert"] != is_expert:
        audit_record(
            action="accounts.user.permissions_changed",
            actor=actor,
            obj=user,
            changes={
                "units": [sorted(before_units), sorted(after_units)],
                "offices": [sorted(before_offices), sorted(after_offices)],
                "is_expert": [before["is_expert"], is_expert],
            },
        )
    return user


def _session_store_class() -> type[SessionBase]:
    from django.conf import settings

    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


def sessions_end_all(*, user) -> int:
    """End every session ``user`` is logged in with (on every app server: sessions live in the DB)."""
    store = _session_store_class()
    ended = 0
    for record in UserSession.objects.filter(user=user):
        store(session_key=record.session_key).delete()
        ended += 1
    UserSession.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def account_deactivate(*, actor, user):
    """Deactivate an account: it can no longer log in, and its open sessions end now."""
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot deactivate your own account."))
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end_all(user=user)
    audit_record(action="accounts.user.deactivated", actor=actor, obj=user, changes={"sessions_ended": ended})
    api_tokens_revoke_all(actor=actor, user=user, reason="deactivated")
    return user


@transaction.atomic
def account_reactivate(*, actor, user):
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(action="accounts.user.reactivated", actor=actor, obj=user)
    return user


@transaction.atomic
def account_reset_password(*, actor, user) -> str:
    """Give ``user`` a new one-time password that must be changed at the next login."""
    password = generate_initial_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    sessions_end_all(user=user)
    audit_record(action="accounts.user.password_reset", actor=actor, obj=user)
    api_tokens_revoke_all(actor=actor, user=user, reason="password_reset")
    return password


@transaction.atomic
def password_change(*, user, new_password: str):
    """The user chose a new password (already validated by the form)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(action="accounts.user.password_changed", actor=user, obj=user)
    api_tokens_revoke_all(actor=user, user=user, reason="password_changed")
    return user


def api_tokens_revoke_all(*, actor, user, reason: str) -> int:
    """Revoke every active API token of ``user``: a new password must not leave an old door open
    (a token minted by whoever knew the old password keeps no power). Audited with the count."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        audit_record(action="accounts.api_token.revoked_all", actor=actor, obj=user,
                     changes={"revoked": revoked, "reason": reason})
    return revoked


def session_record_login(*, user, session_key: str | None):
    if session_key:
        UserSession.objects.create(user=user, session_key=session_key)


def session_forget(*, session_key: str | None):
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the returned secret is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the system that will use it.")})
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(user=user, name=name[:60], key_hash=ApiToken.hash_key(key), key_prefix=key[:10])
    audit_record(action="accounts.api_token.created", actor=user, obj=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken):
    if token.user_id != user.pk:
        raise ValidationError(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="accounts.api_token.revoked", actor=user, obj=token)
    return token


def api_token_authenticate(key: str):
    """The active user that ``key`` belongs to, or None; records when the token was last used."""
    if not key:
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- two-step verification (TOTP) enrolment ---------------------------------------------------
# Security timers (this code's expiry, like sessions and the login lockout) run on real time, not
# on core.clock: a frozen demonstration clock must not keep a code alive for ever.

@transaction.atomic
def otp_enrolment_code_issue(*, actor, user) -> tuple[OTPEnrolmentCode, str]:
    """Issue ``user`` a one-time enrolment code (shown once to ``actor``, stored hashed).

    Any earlier unused code of ``user`` stops working. Nobody issues a code for themselves: the
    point is that a second person (or the server's administrator, ``manage.py otp_enrolment_code``)
    vouches for the enrolment. ``actor=None`` is that command.
    """
    from django.conf import settings

    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot issue an enrolment code for yourself. Ask another organiser."))
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    now = timezone.now()
    OTPEnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    code = OTPEnrolmentCode.generate_code()
    hours = settings.SCIDAY_OTP_ENROLMENT_CODE_HOURS
    record = OTPEnrolmentCode.objects.create(user=user, code_hash=OTPEnrolmentCode.hash_code(code),
                                             issued_by=actor, expires_at=now + timedelta(hours=hours))
    audit_record(action="accounts.user.otp_enrolment_code_issued", actor=actor, obj=user,
                 actor_name="" if actor is not None else "manage.py", changes={"expires_at": record.expires_at})
    return record, code


def otp_enrolment_code_find(*, user, code: str) -> OTPEnrolmentCode | None:
    """The unused, unexpired enrolment code of ``user`` that ``code`` is, or None."""
    if not OTPEnrolmentCode.normalise(code):
        return None
    return OTPEnrolmentCode.objects.filter(
        user=user, code_hash=OTPEnrolmentCode.hash_code(code), used_at__isnull=True, expires_at__gt=timezone.now(),
    ).first()


@transaction.atomic
def otp_device_confirm(*, user, device, enrolment_code: OTPEnrolmentCode | None):
    """Confirm a TOTP device whose first code was right.

    With an enrolment code (a first enrolment, or a lost phone) the code is used up and the
    user's other devices are removed: the new phone replaces them. Without one (the user has
    already passed a TOTP check in this session) the device is added beside the others.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    replaced = 0
    if enrolment_code is not None:
        updated = OTPEnrolmentCode.objects.filter(pk=enrolment_code.pk, used_at__isnull=True).update(
            used_at=timezone.now())
        if not updated:
            raise ValidationError(_("This enrolment code has already been used."))
        replaced, _details = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action="accounts.user.totp_enrolled", actor=user, obj=user,
                 changes={"with_enrolment_code": enrolment_code is not None, "devices_replaced": replaced})
    return device

"""The server administrator's way to let someone enrol an authenticator (the first administrator
above all, who has nobody to issue them a code): prints a one-time enrolment code, audited."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import otp_enrolment_code_issue


class Command(BaseCommand):
    help = "Print a one-time code with which USERNAME can enrol a TOTP authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        try:
            record, code = otp_enrolment_code_issue(actor=None, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{code}  (valid until {record.expires_at:%Y-%m-%d %H:%M} UTC, once)")

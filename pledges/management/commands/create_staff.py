import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email


class Command(BaseCommand):
    help = "Create a staff account (a superuser with --superuser) and explain how to add its second factor."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--superuser", action="store_true", help="Full access, for the first account.")
        parser.add_argument(
            "--group",
            action="append",
            default=[],
            metavar="NAME",
            help='A staff group to join, e.g. --group "Moderator" or --group "Campaign lead" (repeatable).',
        )

    def handle(self, *args, email: str, superuser: bool, group: list[str], **options) -> None:
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        groups = list(Group.objects.filter(name__in=group))
        unknown = sorted(set(group) - {g.name for g in groups})
        if unknown:
            known = ", ".join(sorted(Group.objects.values_list("name", flat=True)))
            raise CommandError(f"No group called {', '.join(unknown)}. The groups are: {known}.")
        if not superuser and not groups:
            raise CommandError(
                'Give the account a group (--group "Moderator" or --group "Campaign lead") or --superuser.'
            )
        User = get_user_model()
        taken = EmailAddress.objects.filter(email__iexact=email).exists()
        if taken or User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account for {email} exists already; give it staff status in the admin.")
        password = secrets.token_urlsafe(18)
        user = User.objects.create_user(
            username=email.lower(), email=email.lower(), password=password, is_staff=True, is_superuser=superuser
        )
        EmailAddress.objects.create(user=user, email=email.lower(), verified=True, primary=True)
        user.groups.add(*groups)
        joined = f" in {', '.join(g.name for g in groups)}" if groups else ""
        self.stdout.write(
            f"Created {'superuser' if superuser else 'staff account'} {email}{joined}.\n"
            f"Temporary password (shown once): {password}\n\n"
            "Before any admin page opens, add a second factor:\n"
            "  1. Sign in at /accounts/login/ with the email and password above (or ask for a code by email).\n"
            "  2. Open /admin/: you are sent to /accounts/2fa/totp/activate/.\n"
            "  3. Scan the QR code with an authenticator app (or type the key), enter the 6-digit code.\n"
            "  4. Save the recovery codes shown at /accounts/2fa/recovery-codes/ somewhere safe.\n"
            "Then change the password at /accounts/password/change/.\n"
        )

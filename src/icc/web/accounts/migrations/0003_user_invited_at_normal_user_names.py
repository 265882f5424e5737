"""User names in their one normalised form (NFKC, casefold: icc.web.accounts.usernames), and when the last
invitation link was sent (the invitations not yet accepted take the day the account was made)."""

import sys

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import migrations, models

from icc.web.accounts.usernames import normalise_name


def normalise_user_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("username", flat=True))
    for user in User.objects.order_by("pk"):
        name = normalise_name(user.username)
        if name == user.username:
            continue
        if name in taken:  # two accounts one name apart: left as they are, for the secretariat to merge
            print(f"\n  User {user.username!r} kept: {name!r} is another account's name", file=sys.stderr)
            continue
        taken.discard(user.username)
        taken.add(name)
        user.username = name
        user.save(update_fields=["username"])


def date_pending_invitations(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    pending = User.objects.filter(last_login__isnull=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    pending.update(invited_at=models.F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="invited_at",
            field=models.DateTimeField(
                blank=True, help_text="When the last invitation link was sent.", null=True, verbose_name="invited at"
            ),
        ),
        migrations.RunPython(normalise_user_names, migrations.RunPython.noop),
        migrations.RunPython(date_pending_invitations, migrations.RunPython.noop),
    ]

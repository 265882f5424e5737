"""Editions get an explicit "results released" state. An upgrade keeps today's public site: every edition that is
already closed (or published) counts as released on its closing date (today, when it has none or closed early)."""

from datetime import UTC, datetime, time

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def release_closed_editions(apps, schema_editor):
    Edition = apps.get_model("network", "Edition")
    now = datetime.now(UTC)
    for edition in Edition.objects.filter(status__in=["closed", "published"], results_released_at__isnull=True):
        closed = datetime.combine(edition.closes, time(0, 0), tzinfo=UTC) if edition.closes else now
        edition.results_released_at = min(closed, now)
        edition.save(update_fields=["results_released_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='edition',
            name='results_released_at',
            field=models.DateTimeField(blank=True, help_text="When the secretariat released the edition's results as a whole; empty: not released", null=True, verbose_name='results released'),
        ),
        migrations.AddField(
            model_name='edition',
            name='results_released_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(release_closed_editions, migrations.RunPython.noop),
    ]

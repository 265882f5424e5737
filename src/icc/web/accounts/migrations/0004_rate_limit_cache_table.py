"""The table of the database caches in settings.CACHES (the shared ``rate-limits`` counts), made by every
``migrate`` (``icc serve``, the tests, a deployment), so that no start path can miss ``createcachetable``."""

from django.conf import settings
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import migrations
from django.utils.module_loading import import_string


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    for cache in settings.CACHES.values():
        if issubclass(import_string(cache["BACKEND"]), BaseDatabaseCache):
            schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(cache['LOCATION'])}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_invited_at_normal_user_names"),
    ]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables)]
